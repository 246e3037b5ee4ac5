using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Policies;

/// <summary>
/// Base of the built-in policies. It finds the overdue requests, removes them from consideration when
/// <see cref="OverdueAction.Reject"/> is set, and lets <see cref="Plan"/> decide about the rest. With
/// <see cref="OverdueAction.Reject"/> it also wakes the router when the oldest waiting request turns overdue, so
/// that request is answered at once. With <see cref="OverdueAction.ServeLate"/> it removes only the requests that
/// have expired (<see cref="BatchingOptions.MaxLateMs"/>), and wakes the router when the oldest waiting request
/// expires. A policy that sets <see cref="DefersOverdueRequests"/> then plans with the requests that are still in
/// time and serves the overdue ones only with room to spare (see <see cref="DecideWithDeferral"/>). The other
/// policies serve the overdue requests first.
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

    /// <summary>
    /// Reserve on top of the estimated batch latency that the policy plans with. The default is
    /// <see cref="BatchingOptions.MarginMs"/>; greedy adds what it learns from missed deadlines.
    /// </summary>
    public virtual double MarginMs => Options.MarginMs;

    /// <inheritdoc />
    public BatchDecision Decide(QueueSnapshot queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var singleLatencyMs = LatencyModel.EstimateMs(1);
        var overdue = OverdueRule.CountOverdue(queue, Options.TauMs, singleLatencyMs);
        var servesLate = Options.OverdueAction == OverdueAction.ServeLate;
        var reject = servesLate
            ? OverdueRule.CountExpired(queue, Options.TauMs, Options.LateLimitMs, singleLatencyMs)
            : overdue;
        if (servesLate && overdue > reject && overdue < queue.Count && DefersOverdueRequests)
        {
            return DecideWithDeferral(queue, reject, overdue, singleLatencyMs);
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
            var deferred = CheckPlannedDeferrals(plan, remaining.Count - late);
            var batchSize = Math.Min(plan.BatchSize, remaining.Count - late - deferred);
            return new BatchDecision(overdue + late + deferred, reject + late, batchSize, null, deferred);
        }

        var wakeAtMs = WakeUpBeforeOldestIsDue(plan.WakeAtMs, remaining.OldestArrivalMs, singleLatencyMs);
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
    /// Decides for a queue whose <paramref name="expired"/> oldest requests have expired and are rejected, whose
    /// next requests up to <paramref name="overdue"/> are overdue and deferred, and whose newer requests are still in
    /// time. <see cref="Plan"/> decides about the newer requests alone. When it runs a batch, the newest overdue
    /// requests join that batch as long as its oldest in-time request still ends within the latency target minus the
    /// margin, unless the plan defers in-time requests too: those sit between the overdue ones and the batch. When it waits, the oldest overdue requests run in a batch that fits before its wake-up. Otherwise the
    /// overdue requests stay queued. Under sustained overload they wait until the load falls, until they expire and
    /// a later decision rejects them, or until the full queue turns new arrivals away. So a request that runs starts
    /// before its deadline plus <see cref="BatchingOptions.LateLimitMs"/> minus c(1).
    /// </summary>
    private BatchDecision DecideWithDeferral(QueueSnapshot queue, int expired, int overdue, double singleLatencyMs)
    {
        var deferrable = queue.WithoutOldest(expired);
        var deferrableCount = overdue - expired;
        var inTime = deferrable.WithoutOldest(deferrableCount);
        var plan = Plan(inTime);
        var limit = Math.Min(DeferredBatchSizeLimit, Options.MaxBatchSize);
        if (plan.BatchSize > 0)
        {
            // Requests that the plan defers sit between the overdue requests and the batch, so none can join it.
            var planDeferred = CheckPlannedDeferrals(plan, inTime.Count);
            if (planDeferred > 0)
            {
                var size = Math.Min(plan.BatchSize, inTime.Count - planDeferred);
                return new BatchDecision(overdue + planDeferred, expired, size, null, deferrableCount + planDeferred);
            }

            var deadlineMs = inTime.OldestArrivalMs + Options.TauMs - MarginMs;
            var joined = 0;
            while (joined < deferrableCount
                && plan.BatchSize + joined < limit
                && queue.NowMs + LatencyModel.EstimateMs(plan.BatchSize + joined + 1) <= deadlineMs)
            {
                joined++;
            }

            return new BatchDecision(overdue, expired, plan.BatchSize + joined, null, deferrableCount - joined);
        }

        var idleUntilMs = (plan.WakeAtMs ?? double.PositiveInfinity) - MarginMs - LatencyModel.WakeUpLagMs;
        for (var size = Math.Min(deferrableCount, limit); size >= 1; size--)
        {
            if (queue.NowMs + LatencyModel.EstimateMs(size) <= idleUntilMs)
            {
                return new BatchDecision(overdue, expired, size, null);
            }
        }

        var wakeAtMs = WakeUpBeforeOldestIsDue(plan.WakeAtMs, deferrable.OldestArrivalMs, singleLatencyMs);
        return new BatchDecision(overdue, expired, 0, wakeAtMs);
    }

    /// <summary>
    /// Returns the earlier of the plan's wake-up and the time at which the oldest remaining request must be rejected:
    /// when it turns overdue with <see cref="OverdueAction.Reject"/>, or when it expires with
    /// <see cref="OverdueAction.ServeLate"/>. So a router with nothing else to do still rejects that request on time.
    /// </summary>
    private double WakeUpBeforeOldestIsDue(double? plannedMs, double oldestArrivalMs, double singleLatencyMs)
    {
        var dueMs = Options.OverdueAction == OverdueAction.Reject
            ? OverdueRule.OverdueAtMs(oldestArrivalMs, Options.TauMs, singleLatencyMs)
            : OverdueRule.ExpiresAtMs(oldestArrivalMs, Options.TauMs, Options.LateLimitMs, singleLatencyMs);
        return plannedMs is { } planned ? Math.Min(planned, dueMs) : dueMs;
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

        CheckLeavesRequestToRun("reject", plan.RejectCount, queued);
        return plan.RejectCount;
    }

    private int CheckPlannedDeferrals(BatchPlan plan, int queued)
    {
        if (plan.DeferCount == 0)
        {
            return 0;
        }

        if (Options.OverdueAction != OverdueAction.ServeLate)
        {
            throw new InvalidOperationException(
                $"Policy '{Name}' planned to defer {plan.DeferCount} requests, but the overdue action is "
                + $"{Options.OverdueAction}; a policy may plan deferrals only with OverdueAction.ServeLate.");
        }

        if (!DefersOverdueRequests)
        {
            throw new InvalidOperationException(
                $"Policy '{Name}' planned to defer {plan.DeferCount} requests, but it does not defer overdue requests; "
                + "a policy may plan deferrals only when DefersOverdueRequests is true.");
        }

        CheckLeavesRequestToRun("defer", plan.DeferCount, queued);
        return plan.DeferCount;
    }

    /// <summary>Throws when a plan that runs a batch leaves out all <paramref name="queued"/> requests.</summary>
    private void CheckLeavesRequestToRun(string action, int leftOut, int queued)
    {
        if (leftOut >= queued)
        {
            throw new InvalidOperationException(
                $"Policy '{Name}' planned to {action} {leftOut} of {queued} queued requests and still run a "
                + "batch; a plan that runs a batch must leave at least one request for it.");
        }
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
