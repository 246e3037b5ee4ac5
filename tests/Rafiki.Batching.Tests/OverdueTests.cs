using Rafiki.Batching.Policies;

namespace Rafiki.Batching.Tests;

/// <summary>
/// Overdue detection with tau = 50 ms and c(1) = 2.25 ms: a request that arrived at a is overdue from a + 47.75 ms.
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
