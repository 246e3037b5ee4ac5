using Rafiki.Batching.Latency;
using Rafiki.Batching.Policies;

namespace Rafiki.Batching.Tests;

public class BatchingPolicyTests
{
    [Fact]
    public void Wake_up_not_in_future_throws()
    {
        var policy = new WaitUntilNowPolicy(new BatchingOptions(50, 8), TestModels.Linear(2, 0.25, 8));

        var error = Assert.Throws<InvalidOperationException>(() => policy.Decide(TestModels.Queue(5, 1)));

        Assert.Contains(
            "requested a wake-up at 5 ms, which is not after now (5 ms)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_size_is_capped_at_queue_length()
    {
        var policy = new RunTenPolicy(new BatchingOptions(50, 16), TestModels.Linear(2, 0.25, 16));

        var decision = policy.Decide(TestModels.Queue(5, 1, 2, 3));

        Assert.Equal(3, decision.BatchSize);
    }

    [Fact]
    public void Every_policy_waits_on_empty_queue()
    {
        foreach (var name in BatchingPolicies.All)
        {
            var policy = BatchingPolicies.Create(name, new BatchingOptions(50, 8), TestModels.Linear(2, 0.25, 8));

            Assert.Equal(new BatchDecision(0, 0, 0, null), policy.Decide(TestModels.Queue(10)));
        }
    }

    [Fact]
    public void Planned_rejection_needs_reject_action()
    {
        var policy = new RejectOldestPolicy(new BatchingOptions(50, 8), TestModels.Linear(2, 0.25, 8));

        var error = Assert.Throws<InvalidOperationException>(() => policy.Decide(TestModels.Queue(5, 1, 2, 3)));

        Assert.Contains("planned to reject 1 requests, but the overdue action is ServeLate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Planned_rejection_adds_to_overdue()
    {
        var options = new BatchingOptions(50, 8) { OverdueAction = OverdueAction.Reject };
        var policy = new RejectOldestPolicy(options, TestModels.Linear(2, 0.25, 8));

        var decision = policy.Decide(TestModels.Queue(5, 1, 2, 3));

        Assert.Equal(new BatchDecision(OverdueCount: 1, RejectCount: 1, BatchSize: 2, WakeAtMs: null), decision);
    }

    [Fact]
    public void Deferral_needs_serve_late_policy()
    {
        var serveLate = new DeferOldestPolicy(new BatchingOptions(50, 8), TestModels.Linear(2, 0.25, 8), defers: false);
        var reject = new DeferOldestPolicy(
            new BatchingOptions(50, 8) { OverdueAction = OverdueAction.Reject }, TestModels.Linear(2, 0.25, 8), defers: true);

        var notDeferring = Assert.Throws<InvalidOperationException>(() => serveLate.Decide(TestModels.Queue(5, 1, 2, 3)));
        var rejecting = Assert.Throws<InvalidOperationException>(() => reject.Decide(TestModels.Queue(5, 1, 2, 3)));

        Assert.Contains("planned to defer 1 requests", notDeferring.Message, StringComparison.Ordinal);
        Assert.Contains("the overdue action is Reject", rejecting.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deferral_keeps_oldest_queued()
    {
        var policy = new DeferOldestPolicy(new BatchingOptions(50, 8), TestModels.Linear(2, 0.25, 8), defers: true);

        var decision = policy.Decide(TestModels.Queue(5, 1, 2, 3));

        Assert.Equal(new BatchDecision(OverdueCount: 1, RejectCount: 0, BatchSize: 2, WakeAtMs: null, DeferredCount: 1), decision);
    }

    [Fact]
    public void Deferral_of_whole_queue_throws()
    {
        var policy = new DeferOldestPolicy(new BatchingOptions(50, 8), TestModels.Linear(2, 0.25, 8), defers: true);

        var error = Assert.Throws<InvalidOperationException>(() => policy.Decide(TestModels.Queue(5, 1)));

        Assert.Contains("planned to defer 1 of 1 queued requests", error.Message, StringComparison.Ordinal);
    }

    private sealed class DeferOldestPolicy(BatchingOptions options, IBatchLatencyModel model, bool defers)
        : BatchingPolicy(options, model)
    {
        public override string Name => "defer-oldest";

        protected override bool DefersOverdueRequests => defers;

        protected override BatchPlan Plan(QueueSnapshot queue) => BatchPlan.DeferThenRun(1, Math.Max(1, queue.Count - 1));
    }

    private sealed class RejectOldestPolicy(BatchingOptions options, IBatchLatencyModel model)
        : BatchingPolicy(options, model)
    {
        public override string Name => "reject-oldest";

        protected override BatchPlan Plan(QueueSnapshot queue) => BatchPlan.RejectThenRun(1, queue.Count - 1);
    }

    private sealed class WaitUntilNowPolicy(BatchingOptions options, IBatchLatencyModel model)
        : BatchingPolicy(options, model)
    {
        public override string Name => "wait-until-now";

        protected override BatchPlan Plan(QueueSnapshot queue) => BatchPlan.WaitUntil(queue.NowMs);
    }

    private sealed class RunTenPolicy(BatchingOptions options, IBatchLatencyModel model)
        : BatchingPolicy(options, model)
    {
        public override string Name => "run-ten";

        protected override BatchPlan Plan(QueueSnapshot queue) => BatchPlan.Run(10);
    }
}
