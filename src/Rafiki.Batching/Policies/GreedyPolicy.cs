using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Policies;

/// <summary>
/// Rafiki's greedy batching. With n requests queued, it runs the Bmax oldest when n is at least Bmax. Otherwise it
/// waits for one more request as long as the larger batch could still finish in time for the oldest request, that is
/// while <c>w_oldest + c(n + 1) + margin &lt; tau</c>, and runs the n queued requests as soon as that is false.
/// </summary>
/// <remarks>
/// The wait ends at equality rather than just after it, so that a timer set to the returned wake-up time always
/// finds the condition false and starts the batch.
/// </remarks>
public sealed class GreedyPolicy : BatchingPolicy
{
    /// <param name="options">Settings; <see cref="BatchingOptions.MarginMs"/> is the reserve on top of c(b).</param>
    /// <param name="latencyModel">Estimate of c(b).</param>
    public GreedyPolicy(BatchingOptions options, IBatchLatencyModel latencyModel)
        : base(options, latencyModel)
    {
    }

    /// <inheritdoc />
    public override string Name => BatchingPolicies.Greedy;

    /// <inheritdoc />
    protected override BatchPlan Plan(QueueSnapshot queue)
    {
        var count = queue.Count;
        if (count >= Options.MaxBatchSize)
        {
            return BatchPlan.Run(Options.MaxBatchSize);
        }

        var largerBatchMs = LatencyModel.EstimateMs(count + 1);
        var dispatchAtMs = DispatchDeadlineMs(queue.OldestArrivalMs, largerBatchMs);
        return queue.NowMs >= dispatchAtMs ? BatchPlan.Run(count) : BatchPlan.WaitUntil(dispatchAtMs);
    }

    /// <summary>
    /// Returns the last time at which the oldest request may wait for one more arrival: after it, a batch that
    /// takes <paramref name="largerBatchMs"/> would end later than the latency target minus the margin.
    /// </summary>
    private double DispatchDeadlineMs(double oldestArrivalMs, double largerBatchMs) =>
        oldestArrivalMs + Options.TauMs - Options.MarginMs - largerBatchMs;
}
