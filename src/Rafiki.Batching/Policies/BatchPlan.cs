namespace Rafiki.Batching.Policies;

/// <summary>
/// What a policy wants to do with the requests that are not overdue-rejected: run the <see cref="BatchSize"/>
/// oldest now, or wait.
/// </summary>
/// <param name="BatchSize">Number of oldest requests to run now; 0 to wait.</param>
/// <param name="WakeAtMs">When waiting: the time to decide again even if nothing arrives, or null to wait for an
/// arrival.</param>
public readonly record struct BatchPlan(int BatchSize, double? WakeAtMs)
{
    /// <summary>Returns a plan that runs the <paramref name="batchSize"/> oldest requests now.</summary>
    public static BatchPlan Run(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new BatchPlan(batchSize, null);
    }

    /// <summary>Returns a plan that waits and decides again at <paramref name="wakeAtMs"/>.</summary>
    public static BatchPlan WaitUntil(double wakeAtMs) => new(0, wakeAtMs);

    /// <summary>A plan that waits until the next arrival.</summary>
    public static BatchPlan WaitForArrival { get; } = new(0, null);
}
