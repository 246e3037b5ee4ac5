using Rafiki.Batching.Latency;

namespace Rafiki.Inference;

/// <summary>
/// The timing a router's policy plans with: the observed batch latency c(b) as a high percentile and as a median,
/// and how late the router's wake-ups arrive. A policy that waits, such as greedy, starts a batch only when its
/// wake-up arrives, so a batch planned to start at time T really starts at T plus the lag.
/// </summary>
/// <param name="batchLatency">High percentile of the observed batch latencies, which the scheduler updates.</param>
/// <param name="typicalLatency">Median of the observed batch latencies, which the router updates.</param>
/// <param name="wakeUpLag">The router's measured wake-up lag.</param>
internal sealed class PlanningLatencyModel(
    BatchLatencyModel batchLatency, BatchLatencyModel typicalLatency, WakeUpLagEstimate wakeUpLag) : IBatchLatencyModel
{
    /// <inheritdoc />
    public double WakeUpLagMs => wakeUpLag.LagMs;

    /// <inheritdoc />
    public double EstimateMs(int batchSize) => batchLatency.EstimateMs(batchSize);

    /// <inheritdoc />
    public double TypicalMs(int batchSize) => typicalLatency.EstimateMs(batchSize);
}
