using Rafiki.Batching.Latency;

namespace Rafiki.Inference;

/// <summary>
/// The batch latency a router's policy plans with: the observed batch latency c(b) plus an allowance for how late
/// the router's wake-ups arrive. A policy that waits, such as greedy, starts a batch when a wake-up arrives, so a
/// batch planned to start at time T really starts at T plus the wake-up lag. The allowance is a high percentile of
/// the recent lags; it is 0 until a wake-up has arrived, and grows when the machine is busy.
/// </summary>
internal sealed class PlanningLatencyModel : IBatchLatencyModel
{
    /// <summary>Wake-up lags kept for the allowance.</summary>
    private const int LagWindow = 256;

    /// <summary>Percentile of the recent lags used as the allowance.</summary>
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

    /// <summary>Time added to every batch latency estimate for wake-up lag, in milliseconds.</summary>
    public double LagAllowanceMs { get; private set; }

    /// <inheritdoc />
    public double EstimateMs(int batchSize) => _batchLatency.EstimateMs(batchSize) + LagAllowanceMs;

    /// <summary>Records how late one wake-up arrived and updates the allowance.</summary>
    public void ObserveWakeUpLag(double lagMs)
    {
        _lagsMs[_next] = Math.Max(0, lagMs);
        _next = (_next + 1) % LagWindow;
        _count = Math.Min(_count + 1, LagWindow);
        var sorted = _lagsMs.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        LagAllowanceMs = sorted[Math.Clamp((int)Math.Ceiling(LagPercentile * _count), 1, _count) - 1];
    }
}
