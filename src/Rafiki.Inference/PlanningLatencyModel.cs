using Rafiki.Batching.Latency;

namespace Rafiki.Inference;

/// <summary>
/// The timing a router's policy plans with: the observed batch latency c(b), and how late the router's wake-ups
/// arrive. A policy that waits, such as greedy, starts a batch only when its wake-up arrives, so a batch planned to
/// start at time T really starts at T plus the lag. The lag estimate is a high percentile of the recent lags, which
/// the router measures on every wake-up and on a periodic probe; it is 0 until the first measurement and grows
/// when the machine is busy.
/// </summary>
internal sealed class PlanningLatencyModel : IBatchLatencyModel
{
    /// <summary>Lags kept for the estimate: about 10 s of probes at one per 50 ms.</summary>
    private const int LagWindow = 200;

    /// <summary>Percentile of the recent lags used as the estimate.</summary>
    private const double LagPercentile = 0.99;

    private readonly BatchLatencyModel _batchLatency;
    private readonly double[] _lagsMs = new double[LagWindow];
    private int _next;
    private int _count;

    /// <param name="batchLatency">The observed batch latency, which the scheduler updates.</param>
    public PlanningLatencyModel(BatchLatencyModel batchLatency)
    {
        _batchLatency = batchLatency;
    }

    /// <inheritdoc />
    public double WakeUpLagMs { get; private set; }

    /// <inheritdoc />
    public double EstimateMs(int batchSize) => _batchLatency.EstimateMs(batchSize);

    /// <summary>Records how late one wake-up arrived and updates <see cref="WakeUpLagMs"/>.</summary>
    public void ObserveWakeUpLag(double lagMs)
    {
        _lagsMs[_next] = Math.Max(0, lagMs);
        _next = (_next + 1) % LagWindow;
        _count = Math.Min(_count + 1, LagWindow);
        var sorted = _lagsMs.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        WakeUpLagMs = sorted[Math.Clamp((int)Math.Ceiling(LagPercentile * _count), 1, _count) - 1];
    }
}
