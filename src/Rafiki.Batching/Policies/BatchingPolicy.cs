using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Policies;

/// <summary>
/// Base of the built-in policies. It finds the overdue requests, removes them from consideration when
/// <see cref="OverdueAction.Reject"/> is set, and lets <see cref="Plan"/> decide about the rest. With
/// <see cref="OverdueAction.Reject"/> it also wakes the router when the oldest waiting request turns overdue, so
/// that request is answered at once. With <see cref="OverdueAction.ServeLate"/>, a policy that sets
/// <see cref="DefersOverdueRequests"/> plans with the requests that are still in time and serves the overdue ones
/// only with room to spare (see <see cref="DecideWithDeferral"/>); the others serve the overdue requests first.
/// </summary>
public abstract class BatchingPolicy : IBatchingPolicy
{
    /// <param name="options">Settings; validated here.</param>
    /// <param name="latencyModel">Estimate of c(b), read on every decision.</param>
    protected BatchingPolicy(BatchingOptions options, IBatchLatencyModel latencyModel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(latencyModel);
        options.Validate();
        Options = options;
        LatencyModel = latencyModel;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public BatchingOptions Options { get; }

    /// <summary>Estimate of c(b) the policy plans with.</summary>
    protected IBatchLatencyModel LatencyModel { get; }

    /// <inheritdoc />
    public BatchDecision Decide(QueueSnapshot queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var singleLatencyMs = LatencyModel.EstimateMs(1);
        var overdue = OverdueRule.CountOverdue(queue, Options.TauMs, singleLatencyMs);
        var reject = Options.OverdueAction == OverdueAction.Reject ? overdue : 0;
        if (reject == 0 && overdue > 0 && overdue < queue.Count && DefersOverdueRequests)
        {
            return DecideWithDeferral(queue, overdue);
        }

        var remaining = queue.WithoutOldest(reject);
        if (remaining.IsEmpty)
        {
            return new BatchDecision(overdue, reject, 0, null);
        }

        var plan = Plan(remaining);
        if (plan.BatchSize > 0)
        {
            var late = CheckPlannedRejections(plan, remaining.Count);
            var batchSize = Math.Min(plan.BatchSize, remaining.Count - late);
            return new BatchDecision(overdue + late, reject + late, batchSize, null);
        }

        var wakeAtMs = plan.WakeAtMs;
        if (Options.OverdueAction == OverdueAction.Reject)
        {
            var overdueAtMs = OverdueRule.OverdueAtMs(remaining.OldestArrivalMs, Options.TauMs, singleLatencyMs);
            wakeAtMs = wakeAtMs is { } planned ? Math.Min(planned, overdueAtMs) : overdueAtMs;
        }

        if (wakeAtMs <= queue.NowMs)
        {
            // A wake-up that is not in the future would make the router ask again at once, forever.
            throw new InvalidOperationException(
                $"Policy '{Name}' requested a wake-up at {wakeAtMs} ms, which is not after now ({queue.NowMs} ms); "
                + "a policy must run a batch instead of waiting for a time that has come.");
        }

        return new BatchDecision(overdue, reject, 0, wakeAtMs);
    }

    /// <summary>
    /// True when the policy, with <see cref="OverdueAction.ServeLate"/>, serves requests that are still in time
    /// before overdue ones. Serving an overdue request first cannot make it in time, but it delays every request
    /// behind it. So after a burst or a pause of the machine, a backlog served first-in, first-out keeps every new
    /// request late until the backlog drains.
    /// </summary>
    protected virtual bool DefersOverdueRequests => false;

    /// <summary>
    /// Largest batch that <see cref="DecideWithDeferral"/> builds from overdue requests. The default is Bmax.
    /// </summary>
    protected virtual int DeferredBatchSizeLimit => Options.MaxBatchSize;

    /// <summary>
    /// Decides for a queue whose <paramref name="overdue"/> oldest requests are overdue and deferred, and whose
    /// newer requests are still in time. <see cref="Plan"/> decides about the newer requests alone. When it runs a
    /// batch, the newest overdue requests join that batch as long as its oldest in-time request still ends within
    /// the latency target minus the margin. When it waits, the oldest overdue requests run in a batch that fits
    /// before its wake-up. Otherwise the overdue requests stay queued: under sustained overload they wait until
    /// the load falls, or until the full queue turns new arrivals away.
    /// </summary>
    private BatchDecision DecideWithDeferral(QueueSnapshot queue, int overdue)
    {
        var inTime = queue.WithoutOldest(overdue);
        var plan = Plan(inTime);
        var limit = Math.Min(DeferredBatchSizeLimit, Options.MaxBatchSize);
        if (plan.BatchSize > 0)
        {
            var deadlineMs = inTime.OldestArrivalMs + Options.TauMs - Options.MarginMs;
            var joined = 0;
            while (joined < overdue
                && plan.BatchSize + joined < limit
                && queue.NowMs + LatencyModel.EstimateMs(plan.BatchSize + joined + 1) <= deadlineMs)
            {
                joined++;
            }

            return new BatchDecision(overdue, 0, plan.BatchSize + joined, null, overdue - joined);
        }

        var idleUntilMs = (plan.WakeAtMs ?? double.PositiveInfinity) - Options.MarginMs - LatencyModel.WakeUpLagMs;
        for (var size = Math.Min(overdue, limit); size >= 1; size--)
        {
            if (queue.NowMs + LatencyModel.EstimateMs(size) <= idleUntilMs)
            {
                return new BatchDecision(overdue, 0, size, null);
            }
        }

        return new BatchDecision(overdue, 0, 0, plan.WakeAtMs);
    }

    private int CheckPlannedRejections(BatchPlan plan, int queued)
    {
        if (plan.RejectCount == 0)
        {
            return 0;
        }

        if (Options.OverdueAction != OverdueAction.Reject)
        {
            throw new InvalidOperationException(
                $"Policy '{Name}' planned to reject {plan.RejectCount} requests, but the overdue action is "
                + $"{Options.OverdueAction}; a policy may plan rejections only with OverdueAction.Reject.");
        }

        if (plan.RejectCount >= queued)
        {
            throw new InvalidOperationException(
                $"Policy '{Name}' planned to reject {plan.RejectCount} of {queued} queued requests and still run a "
                + "batch; a plan that runs a batch must leave at least one request for it.");
        }

        return plan.RejectCount;
    }

    /// <inheritdoc />
    public virtual void OnBatchCompleted(BatchFeedback feedback)
    {
    }

    /// <summary>
    /// Returns the plan for a queue that contains no rejected request and at least one request. The queue's oldest
    /// requests may be overdue when <see cref="OverdueAction.ServeLate"/> is set.
    /// </summary>
    protected abstract BatchPlan Plan(QueueSnapshot queue);
}
