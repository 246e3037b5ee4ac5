using Rafiki.Batching.Latency;

namespace Rafiki.Inference;

/// <summary>
/// The timing a router's policy plans with: the observed batch latency c(b), and how late the router's wake-ups
/// arrive. A policy that waits, such as greedy, starts a batch only when its wake-up arrives, so a batch planned to
/// start at time T really starts at T plus the lag.
/// </summary>
internal sealed class PlanningLatencyModel(BatchLatencyModel batchLatency, WakeUpLagEstimate wakeUpLag) : IBatchLatencyModel
{
    /// <inheritdoc />
    public double WakeUpLagMs => wakeUpLag.LagMs;

    /// <inheritdoc />
    public double EstimateMs(int batchSize) => batchLatency.EstimateMs(batchSize);
}
