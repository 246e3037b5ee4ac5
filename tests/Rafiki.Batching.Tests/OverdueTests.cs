using Rafiki.Batching.Policies;

namespace Rafiki.Batching.Tests;

/// <summary>
/// Overdue detection with tau = 50 ms and c(1) = 2.25 ms: a request that arrived at a is overdue from a + 47.75 ms.
/// With serve-late and a maximum lateness of L ms it expires from a + 47.75 ms + L.
/// </summary>
public class OverdueTests
{
    private static readonly BatchingOptions ServeLate = new(TauMs: 50, MaxBatchSize: 8) { MarginMs = 1 };
    private static readonly BatchingOptions Reject = ServeLate with { OverdueAction = OverdueAction.Reject };

    [Fact]
    public void Overdue_requests_form_oldest_prefix()
    {
        var queue = TestModels.Queue(48.75, 0, 1, 2, 10);

        var overdue = OverdueRule.CountOverdue(queue, tauMs: 50, singleLatencyMs: 2.25);

        Assert.Equal(2, overdue);
    }

    [Theory]
    [InlineData(47.7499, 0)]
    [InlineData(47.75, 1)]
    [InlineData(48.75, 2)]
    [InlineData(60, 4)]
    public void Overdue_starts_at_tau_minus_single_latency(double nowMs, int expected)
    {
        var queue = TestModels.Queue(nowMs, 0, 1, 2, 10);

        Assert.Equal(expected, OverdueRule.CountOverdue(queue, tauMs: 50, singleLatencyMs: 2.25));
    }

    [Fact]
    public void Fixed_wait_runs_overdue_first()
    {
        var policy = new FixedWaitPolicy(ServeLate, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(48.75, 0, 1, 2, 10));

        Assert.Equal(new BatchDecision(OverdueCount: 2, RejectCount: 0, BatchSize: 4, WakeAtMs: null), decision);
    }

    [Fact]
    public void Greedy_defers_overdue_behind_in_time()
    {
        // In time: 2 and 10. Greedy runs them because 2 + 50 - 1 - c(3) = 48.25 <= 48.75. A third request in the
        // batch would end at 48.75 + c(3) = 51.5, after the oldest in-time deadline 2 + 50 - 1 = 51, so 0 and 1 wait.
        var policy = new GreedyPolicy(ServeLate, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(48.75, 0, 1, 2, 10));

        Assert.Equal(new BatchDecision(2, 0, 2, null, DeferredCount: 2), decision);
    }

    [Fact]
    public void Greedy_adds_overdue_while_in_time()
    {
        // In time: 2.5 and 10, due to run at 2.5 + 49 - c(3) = 48.75. The in-time deadline is 51.5: a batch of 3
        // ends at 48.75 + 2.75 = 51.5 and fits, a batch of 4 ends at 51.75 and does not. So overdue 1 joins and 0 waits.
        var policy = new GreedyPolicy(ServeLate, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(48.75, 0, 1, 2.5, 10));

        Assert.Equal(new BatchDecision(2, 0, 3, null, DeferredCount: 1), decision);
    }

    [Fact]
    public void Greedy_runs_overdue_while_waiting()
    {
        // In time: 20 and 30, due to run at 20 + 49 - c(3) = 66.25. The overdue pair ends at 48.75 + c(2) = 51.25,
        // well before 66.25 - margin, so it runs in the meantime.
        var policy = new GreedyPolicy(ServeLate, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(48.75, 0, 1, 20, 30));

        Assert.Equal(new BatchDecision(2, 0, 2, null), decision);
    }

    [Fact]
    public void Greedy_waits_when_overdue_cannot_fit()
    {
        // In time: 5 and 10, due to run at 5 + 49 - c(3) = 51.25. A batch of one overdue request would end at
        // 48.75 + 2.25 = 51, after 51.25 - margin = 50.25, so nothing runs and the wake-up stays.
        var policy = new GreedyPolicy(ServeLate, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(48.75, 0, 1, 5, 10));

        Assert.Equal(new BatchDecision(2, 0, 0, 51.25), decision);
    }

    [Fact]
    public void Reject_removes_overdue_before_planning()
    {
        // After rejecting 0 and 1, the oldest is 2 with c(3) = 2.75: deadline 2 + 50 - 1 - 2.75 = 48.25 <= 48.75.
        var policy = new GreedyPolicy(Reject, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(48.75, 0, 1, 2, 10));

        Assert.Equal(2, decision.OverdueCount);
        Assert.Equal(2, decision.RejectCount);
        Assert.Equal(2, decision.BatchSize);
    }

    [Fact]
    public void Reject_of_whole_queue_waits_for_arrival()
    {
        var policy = new GreedyPolicy(Reject, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(60, 0, 1));

        Assert.Equal(new BatchDecision(2, 2, 0, null), decision);
    }

    [Fact]
    public void Reject_wakes_when_oldest_turns_overdue()
    {
        // A fixed wait of 100 ms outlasts tau, so the wake-up comes from the overdue time 10 + 47.75 instead.
        var options = Reject with { MaxQueueDelayMs = 100 };
        var policy = new FixedWaitPolicy(options, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(20, 10));

        Assert.Equal(0, decision.BatchSize);
        Assert.Equal(57.75, decision.WakeAtMs);
    }

    [Fact]
    public void Serve_late_keeps_policy_wake_up()
    {
        var options = ServeLate with { MaxQueueDelayMs = 100 };
        var policy = new FixedWaitPolicy(options, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(20, 10));

        Assert.Equal(110, decision.WakeAtMs);
    }

    [Theory]
    [InlineData(137.7499, 0)]
    [InlineData(137.75, 1)]
    [InlineData(167.7499, 1)]
    [InlineData(167.75, 2)]
    public void Expiry_starts_at_max_lateness_past_overdue(double nowMs, int expected)
    {
        var queue = TestModels.Queue(nowMs, 70, 100, 101);

        Assert.Equal(expected, OverdueRule.CountExpired(queue, tauMs: 50, lateLimitMs: 20, singleLatencyMs: 2.25));
    }

    [Fact]
    public void Greedy_rejects_expired_defers_younger()
    {
        // The deferral case of Greedy_defers_overdue_behind_in_time, 100 ms later, behind a request from 70 that
        // expired at 70 + 47.75 + 20 = 137.75. The overdue requests from 100 and 101 expire only at 167.75 and
        // 168.75, so they stay deferred behind the in-time batch of 102 and 110.
        var policy = new GreedyPolicy(ServeLate with { MaxLateMs = 20 }, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(148.75, 70, 100, 101, 102, 110));

        Assert.Equal(new BatchDecision(3, 1, 2, null, DeferredCount: 2), decision);
    }

    [Fact]
    public void Nothing_expires_one_tick_before_limit()
    {
        var policy = new GreedyPolicy(ServeLate with { MaxLateMs = 20 }, TestModels.Linear(2, 0.25, 8));

        var before = policy.Decide(TestModels.Queue(137.7499, 70, 100, 101, 102, 110));
        var at = policy.Decide(TestModels.Queue(137.75, 70, 100, 101, 102, 110));

        Assert.Equal(0, before.RejectCount);
        Assert.Equal(1, before.OverdueCount);
        Assert.Equal(1, at.RejectCount);
        Assert.Equal(1, at.OverdueCount);
    }

    [Fact]
    public void Idle_router_wakes_at_oldest_expiry()
    {
        // A fixed wait of 1000 ms outlasts the default maximum lateness of 10 x 50 ms, so the wake-up comes from the
        // expiry 10 + 47.75 + 500 instead, and at that time the request is rejected.
        var policy = new FixedWaitPolicy(ServeLate with { MaxQueueDelayMs = 1000 }, TestModels.Linear(2, 0.25, 8));

        var waiting = policy.Decide(TestModels.Queue(20, 10));
        var woken = policy.Decide(TestModels.Queue(waiting.WakeAtMs!.Value, 10));

        Assert.Equal(new BatchDecision(0, 0, 0, 557.75), waiting);
        Assert.Equal(new BatchDecision(1, 1, 0, null), woken);
    }

    [Fact]
    public void Deferred_request_wakes_router_at_expiry()
    {
        // Greedy_waits_when_overdue_cannot_fit with a maximum lateness of 2 ms: the deferred request from 0 expires
        // at 0 + 47.75 + 2 = 49.75, before greedy's own wake-up at 51.25. At 49.75 it is rejected, and the next
        // wake-up is the expiry of the request from 1 at 50.75.
        var policy = new GreedyPolicy(ServeLate with { MaxLateMs = 2 }, TestModels.Linear(2, 0.25, 8));

        var waiting = policy.Decide(TestModels.Queue(48.75, 0, 1, 5, 10));
        var woken = policy.Decide(TestModels.Queue(waiting.WakeAtMs!.Value, 0, 1, 5, 10));

        Assert.Equal(new BatchDecision(2, 0, 0, 49.75), waiting);
        Assert.Equal(new BatchDecision(2, 1, 0, 50.75), woken);
    }

    [Fact]
    public void Reject_ignores_max_lateness()
    {
        var options = Reject with { MaxQueueDelayMs = 100, MaxLateMs = 1000 };
        var policy = new FixedWaitPolicy(options, TestModels.Linear(2, 0.25, 8));

        var waiting = policy.Decide(TestModels.Queue(20, 10));
        var atOverdue = policy.Decide(TestModels.Queue(57.75, 10));

        Assert.Equal(57.75, waiting.WakeAtMs);
        Assert.Equal(1, atOverdue.RejectCount);
    }

    [Fact]
    public void Every_policy_reports_overdue_count()
    {
        foreach (var name in BatchingPolicies.All)
        {
            var policy = BatchingPolicies.Create(name, Reject, TestModels.Linear(2, 0.25, 8));

            var decision = policy.Decide(TestModels.Queue(48.75, 0, 1, 2, 10));

            Assert.Equal(2, decision.OverdueCount);
            Assert.Equal(2, decision.RejectCount);
        }
    }
}
