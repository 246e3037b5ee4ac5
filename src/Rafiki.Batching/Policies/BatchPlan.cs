namespace Rafiki.Batching.Policies;

/// <summary>
/// What a policy wants to do with the requests that are not overdue-rejected: run the <see cref="BatchSize"/>
/// oldest now, after the ones it rejects (<see cref="RejectCount"/>) or leaves queued (<see cref="DeferCount"/>),
/// or wait.
/// </summary>
/// <param name="BatchSize">Number of requests to run now, the oldest after the rejected and deferred ones; 0 to
/// wait.</param>
/// <param name="WakeAtMs">When waiting: the time to decide again even if nothing arrives, or null to wait for an
/// arrival.</param>
public readonly record struct BatchPlan(int BatchSize, double? WakeAtMs)
{
    /// <summary>
    /// Number of oldest requests to reject as overdue before the batch runs, because the policy expects them to
    /// miss the latency target in it; the batch then takes the <see cref="BatchSize"/> requests after them. Only
    /// allowed with <see cref="OverdueAction.Reject"/>.
    /// </summary>
    public int RejectCount { get; init; }

    /// <summary>
    /// Number of oldest requests to leave queued while the batch runs the <see cref="BatchSize"/> requests after
    /// them, because the policy expects them to miss the latency target in it. They run later, when there is room,
    /// or expire. Only allowed with <see cref="OverdueAction.ServeLate"/> in a policy that defers overdue requests.
    /// </summary>
    public int DeferCount { get; init; }

    /// <summary>Returns a plan that runs the <paramref name="batchSize"/> oldest requests now.</summary>
    public static BatchPlan Run(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new BatchPlan(batchSize, null);
    }

    /// <summary>
    /// Returns a plan that rejects the <paramref name="rejectCount"/> oldest requests as overdue and runs the
    /// <paramref name="batchSize"/> requests after them now.
    /// </summary>
    public static BatchPlan RejectThenRun(int rejectCount, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rejectCount);
        return Run(batchSize) with { RejectCount = rejectCount };
    }

    /// <summary>
    /// Returns a plan that leaves the <paramref name="deferCount"/> oldest requests queued and runs the
    /// <paramref name="batchSize"/> requests after them now.
    /// </summary>
    public static BatchPlan DeferThenRun(int deferCount, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deferCount);
        return Run(batchSize) with { DeferCount = deferCount };
    }

    /// <summary>Returns a plan that waits and decides again at <paramref name="wakeAtMs"/>.</summary>
    public static BatchPlan WaitUntil(double wakeAtMs) => new(0, wakeAtMs);

    /// <summary>A plan that waits until the next arrival.</summary>
    public static BatchPlan WaitForArrival { get; } = new(0, null);
}
