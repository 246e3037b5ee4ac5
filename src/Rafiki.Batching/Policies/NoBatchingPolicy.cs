using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Policies;

/// <summary>Runs each request alone, oldest first, as soon as the model is free.</summary>
public sealed class NoBatchingPolicy : BatchingPolicy
{
    /// <param name="options">Settings. Only tau, the overdue action and the maximum lateness matter.</param>
    /// <param name="latencyModel">Estimate of c(b), used to find overdue requests.</param>
    public NoBatchingPolicy(BatchingOptions options, IBatchLatencyModel latencyModel)
        : base(options, latencyModel)
    {
    }

    /// <inheritdoc />
    public override string Name => BatchingPolicies.None;

    /// <inheritdoc />
    protected override BatchPlan Plan(QueueSnapshot queue) => BatchPlan.Run(1);
}
