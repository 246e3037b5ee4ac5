using Rafiki.Batching.Policies;

namespace Rafiki.Batching.Tests;

/// <summary>
/// Greedy policy with c(b) = 2 ms + 0.25 ms * b, tau = 50 ms, Bmax = 8 and a 1 ms margin. With n queued requests
/// and the oldest at time a, the dispatch deadline is a + 50 - 1 - c(n + 1).
/// </summary>
public class GreedyPolicyTests
{
    private static readonly BatchingOptions Options = new(TauMs: 50, MaxBatchSize: 8) { MarginMs = 1 };

    private static GreedyPolicy CreatePolicy(BatchingOptions? options = null) =>
        new(options ?? Options, TestModels.Linear(2, 0.25, 8));

    [Fact]
    public void Greedy_runs_full_batch_at_bmax()
    {
        var queue = TestModels.Queue(10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        var decision = CreatePolicy().Decide(queue);

        Assert.Equal(8, decision.BatchSize);
        Assert.Null(decision.WakeAtMs);
        Assert.Equal(0, decision.RejectCount);
        Assert.Equal(0, decision.OverdueCount);
    }

    [Fact]
    public void Greedy_runs_bmax_when_exactly_full()
    {
        var queue = TestModels.Queue(8, 0, 1, 2, 3, 4, 5, 6, 7);

        var decision = CreatePolicy().Decide(queue);

        Assert.Equal(8, decision.BatchSize);
    }

    [Fact]
    public void Greedy_waits_while_slack_allows()
    {
        // Three queued: c(4) = 3 ms, so the deadline is 0 + 50 - 1 - 3 = 46 ms.
        var queue = TestModels.Queue(5, 0, 1, 2);

        var decision = CreatePolicy().Decide(queue);

        Assert.Equal(0, decision.BatchSize);
        Assert.Equal(46, decision.WakeAtMs);
    }

    [Fact]
    public void Missed_batch_raises_margin()
    {
        var policy = CreatePolicy();
        var queue = TestModels.Queue(5, 0, 1, 2);

        policy.OnBatchCompleted(new BatchFeedback(4, 10, 1, 60, MissedCount: 1, MissedByMs: 4));

        // 4 ms past the deadline plus the 1 ms step: the dispatch deadline moves from 46 ms to 41 ms.
        Assert.Equal(5, policy.ExtraMarginMs);
        Assert.Equal(6, policy.MarginMs);
        Assert.Equal(41, policy.Decide(queue).WakeAtMs);
    }

    [Fact]
    public void Late_overdue_requests_leave_margin()
    {
        var policy = CreatePolicy();

        policy.OnBatchCompleted(new BatchFeedback(4, 10, LateCount: 2, CompletedAtMs: 60));

        Assert.Equal(0, policy.ExtraMarginMs);
    }

    [Fact]
    public void In_time_batches_lower_margin()
    {
        var policy = CreatePolicy();
        var inTime = new BatchFeedback(4, 3, 0, 10);
        var stepMs = GreedyPolicy.MarginStepMs * GreedyPolicy.TargetMissRate / (1 - GreedyPolicy.TargetMissRate);
        policy.OnBatchCompleted(new BatchFeedback(4, 10, 1, 60, MissedCount: 1, MissedByMs: 4));

        for (var i = 0; i < 100; i++)
        {
            policy.OnBatchCompleted(inTime);
        }

        Assert.Equal(5 - (100 * stepMs), policy.ExtraMarginMs, 9);
        for (var i = 0; i < 2000; i++)
        {
            policy.OnBatchCompleted(inTime);
        }

        Assert.Equal(0, policy.ExtraMarginMs);
    }

    [Fact]
    public void Missed_full_batch_leaves_margin()
    {
        // Bmax = 8 is the most efficient size here, so a batch of 8 started because 8 requests were queued.
        var policy = CreatePolicy();

        policy.OnBatchCompleted(new BatchFeedback(8, 4, 3, 60, MissedCount: 3, MissedByMs: 1.5));

        Assert.Equal(0, policy.ExtraMarginMs);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-3.0)]
    public void Invalid_lateness_counts_as_zero(double missedByMs)
    {
        var policy = CreatePolicy();

        policy.OnBatchCompleted(new BatchFeedback(4, 10, 1, 60, MissedCount: 1, MissedByMs: missedByMs));

        Assert.Equal(GreedyPolicy.MarginStepMs, policy.ExtraMarginMs);
    }

    [Fact]
    public void Extra_margin_stays_below_quarter_tau()
    {
        var policy = CreatePolicy();

        policy.OnBatchCompleted(new BatchFeedback(4, 200, 4, 300, MissedCount: 4, MissedByMs: 150));

        // A quarter of tau is 12.5 ms, of which the configured margin takes 1 ms.
        Assert.Equal(11.5, policy.ExtraMarginMs);
    }

    [Fact]
    public void Greedy_waits_just_before_deadline()
    {
        var queue = TestModels.Queue(45.999, 0, 1, 2);

        var decision = CreatePolicy().Decide(queue);

        Assert.False(decision.RunsBatch);
        Assert.Equal(46, decision.WakeAtMs);
    }

    [Fact]
    public void Greedy_dispatches_exactly_at_deadline()
    {
        var queue = TestModels.Queue(46, 0, 1, 2);

        var decision = CreatePolicy().Decide(queue);

        Assert.Equal(3, decision.BatchSize);
        Assert.Null(decision.WakeAtMs);
    }

    [Fact]
    public void Greedy_dispatches_after_missed_deadline()
    {
        var queue = TestModels.Queue(47, 0, 1, 2);

        var decision = CreatePolicy().Decide(queue);

        Assert.Equal(3, decision.BatchSize);
    }

    [Theory]
    [InlineData(1, 46.5)]
    [InlineData(3, 46)]
    [InlineData(7, 45)]
    public void Greedy_deadline_uses_next_batch_latency(int queued, double expectedDeadlineMs)
    {
        // The deadline is 49 - c(queued + 1) for an oldest arrival at 0.
        var arrivals = Enumerable.Range(0, queued).Select(i => i * 0.1).ToArray();

        var decision = CreatePolicy().Decide(new QueueSnapshot(1, arrivals));

        Assert.Equal(0, decision.BatchSize);
        Assert.Equal(expectedDeadlineMs, decision.WakeAtMs!.Value, precision: 9);
    }

    [Fact]
    public void Greedy_margin_moves_deadline_earlier()
    {
        var policy = CreatePolicy(Options with { MarginMs = 10 });

        var decision = policy.Decide(TestModels.Queue(5, 0, 1, 2));

        Assert.Equal(37, decision.WakeAtMs);
    }

    [Fact]
    public void Greedy_deadline_allows_for_wake_up_lag()
    {
        var policy = new GreedyPolicy(Options, new LateWakeUps(TestModels.Linear(2, 0.25, 8), lagMs: 4));

        var decision = policy.Decide(TestModels.Queue(5, 0, 1, 2));

        Assert.Equal(42, decision.WakeAtMs);
    }

    [Fact]
    public void Greedy_aims_for_most_efficient_size()
    {
        // Throughput b / c(b) is 1, 1.33 and 2 requests per ms at b = 1, 2, 4, then falls to 1 at b = 8.
        var model = new Latency.BatchLatencyModel(new Dictionary<int, double> { [1] = 1, [2] = 1.5, [4] = 2, [8] = 8 });
        var policy = new GreedyPolicy(Options, model);

        var full = policy.Decide(TestModels.Queue(5, 0, 1, 2, 3, 4, 5));
        var waiting = policy.Decide(TestModels.Queue(5, 0, 1, 2));

        Assert.Equal(4, full.BatchSize);
        Assert.False(waiting.RunsBatch);

        // Three queued wait for a fourth as long as c(4) = 2 ms still fits: until 0 + 50 - 1 - 2 = 47 ms.
        Assert.Equal(47, waiting.WakeAtMs);
    }

    [Fact]
    public void Greedy_compares_sizes_by_typical_latency()
    {
        // The p99 curve alone would make 8 the most efficient size; the typical latencies make it 4.
        var typical = new Latency.BatchLatencyModel(new Dictionary<int, double> { [1] = 1, [2] = 1.5, [4] = 2, [8] = 8 });
        var policy = new GreedyPolicy(Options, new TypicalLatency(TestModels.Linear(2, 0.25, 8), typical));

        var decision = policy.Decide(TestModels.Queue(5, 0, 1, 2, 3, 4, 5));

        Assert.Equal(4, decision.BatchSize);
    }

    [Fact]
    public void Greedy_waits_for_arrival_when_empty()
    {
        var decision = CreatePolicy().Decide(TestModels.Queue(100));

        Assert.Equal(new BatchDecision(0, 0, 0, null), decision);
    }

    [Fact]
    public void Greedy_deadline_follows_latency_estimate()
    {
        // After the model observes slower batches, c(4) rises from 3 to 5 ms and the deadline moves earlier. The
        // curve is lifted to stay non-decreasing, so c(8) becomes 5 ms too and batches of 8 stay the most efficient.
        var model = TestModels.Linear(2, 0.25, 8, new Latency.BatchLatencyModelOptions(MinSamples: 4, WindowSize: 8));
        var policy = new GreedyPolicy(Options, model);
        var before = policy.Decide(TestModels.Queue(5, 0, 1, 2)).WakeAtMs;
        for (var i = 0; i < 4; i++)
        {
            model.Observe(4, 5);
        }

        var after = policy.Decide(TestModels.Queue(5, 0, 1, 2)).WakeAtMs;

        Assert.Equal(46, before);
        Assert.Equal(44, after);
    }

    [Fact]
    public void Greedy_rejects_requests_late_in_batch()
    {
        // At 48 ms, c(1) = 2.25 ms makes the request from 0 overdue. In the full batch, c(8) = 4 ms ends at 52 ms,
        // after the deadline 51 ms of the request from 1, so that one is rejected too and the batch takes 2 to 11.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.Reject });

        var decision = policy.Decide(TestModels.Queue(48, 0, 1, 2, 5, 6, 7, 8, 9, 10, 11));

        Assert.Equal(2, decision.OverdueCount);
        Assert.Equal(2, decision.RejectCount);
        Assert.Equal(8, decision.BatchSize);
    }

    [Fact]
    public void Serve_late_defers_late_in_batch()
    {
        // The queue of Greedy_rejects_requests_late_in_batch, serving late: the overdue request from 0 and the
        // request from 1, which the full batch would make late, stay queued, and the batch takes 2 to 11.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.ServeLate });

        var decision = policy.Decide(TestModels.Queue(48, 0, 1, 2, 5, 6, 7, 8, 9, 10, 11));

        Assert.Equal(new BatchDecision(2, 0, 8, null, DeferredCount: 2), decision);
    }

    [Fact]
    public void Serve_late_defers_without_overdue()
    {
        // At 47.5 ms nothing is overdue (c(1) = 2.25 ms), but the full batch, c(8) = 4 ms, ends at 51.5 ms: after
        // the deadlines of the requests from 0 and 1. They stay queued and the batch takes the eight after them.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.ServeLate });

        var decision = policy.Decide(TestModels.Queue(47.5, 0, 1, 2, 5, 6, 7, 8, 9, 10, 11));

        Assert.Equal(new BatchDecision(2, 0, 8, null, DeferredCount: 2), decision);
    }

    [Fact]
    public void Serve_late_defers_after_expired()
    {
        // The queue of Serve_late_defers_without_overdue behind a request from -20 ms, which expired at
        // 37.75 ms with a maximum lateness of 10 ms. It is rejected, and the two oldest of the rest stay queued.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.ServeLate, MaxLateMs = 10 });

        var decision = policy.Decide(TestModels.Queue(47.5, -20, 0, 1, 2, 5, 6, 7, 8, 9, 10, 11));

        Assert.Equal(new BatchDecision(3, 1, 8, null, DeferredCount: 2), decision);
    }

    [Fact]
    public void Serve_late_runs_short_queue()
    {
        // Five queued at 47.5 ms, fewer than B = 8: the wait itself ended late, so the requests run in order and the
        // one from 0 ends late in the batch of five (c(5) = 3.25 ms ends at 50.75 ms), which greedy learns from.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.ServeLate });

        var decision = policy.Decide(TestModels.Queue(47.5, 0, 1, 1.1, 1.2, 1.3));

        Assert.Equal(new BatchDecision(0, 0, 5, null), decision);
    }

    [Fact]
    public void Serve_late_runs_overdue_newest()
    {
        // At 48 ms the newest request, from 0.25, is due at 48 ms exactly (50.25 ms minus c(1) = 2.25 ms), so it
        // counts as overdue like the seven before it, and the eight run in order without any deferred.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.ServeLate });

        var decision = policy.Decide(TestModels.Queue(48, 0, 0, 0, 0, 0, 0, 0, 0.25));

        Assert.Equal(new BatchDecision(8, 0, 8, null), decision);
    }

    [Fact]
    public void Serve_late_runs_all_overdue()
    {
        // At 60 ms every request is overdue, even the newest: alone, c(1) = 2.25 ms ends at 62.25 ms, after its
        // 61 ms deadline. No order makes one in time, so the eight oldest run.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.ServeLate });

        var decision = policy.Decide(TestModels.Queue(60, 0, 1, 2, 5, 6, 7, 8, 9, 10, 11));

        Assert.Equal(new BatchDecision(10, 0, 8, null), decision);
    }

    [Fact]
    public void Greedy_rejects_nothing_at_own_deadline()
    {
        // A batch started at greedy's own dispatch deadline ends a margin before the oldest request's deadline.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.Reject });

        var decision = policy.Decide(TestModels.Queue(46, 0, 1, 2));

        Assert.Equal(new BatchDecision(0, 0, 3, null), decision);
    }

    [Fact]
    public void Greedy_rejects_oldest_before_partial_batch()
    {
        // Five queued at 47.5 ms, past greedy's dispatch deadline: the request from 0 is in time alone (c(1) = 2.25 ms)
        // but not in a batch of 5 (c(5) = 3.25 ms ends at 50.75 ms). The other four run together and end at 50.5 ms,
        // before the 51 ms deadline of the request from 1.
        var policy = CreatePolicy(Options with { OverdueAction = OverdueAction.Reject });

        var decision = policy.Decide(TestModels.Queue(47.5, 0, 1, 1.1, 1.2, 1.3));

        Assert.Equal(1, decision.RejectCount);
        Assert.Equal(4, decision.BatchSize);
    }

    /// <summary>A latency model whose wake-ups arrive <c>lagMs</c> late.</summary>
    private sealed class LateWakeUps(Latency.IBatchLatencyModel inner, double lagMs) : Latency.IBatchLatencyModel
    {
        public double WakeUpLagMs => lagMs;

        public double EstimateMs(int batchSize) => inner.EstimateMs(batchSize);
    }

    /// <summary>A latency model whose typical latencies come from a second model.</summary>
    private sealed class TypicalLatency(Latency.IBatchLatencyModel high, Latency.IBatchLatencyModel typical)
        : Latency.IBatchLatencyModel
    {
        public double EstimateMs(int batchSize) => high.EstimateMs(batchSize);

        public double TypicalMs(int batchSize) => typical.EstimateMs(batchSize);
    }
}
