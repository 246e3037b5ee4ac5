namespace Rafiki.Inference;

/// <summary>
/// How late a router's wake-ups arrive: a high percentile of the recent lags, which the router measures on every
/// wake-up and on a periodic probe. It is 0 until the first measurement and grows when the machine is busy.
/// </summary>
internal sealed class WakeUpLagEstimate
{
    /// <summary>Lags kept for the estimate: about 10 s of probes at one per 50 ms.</summary>
    private const int Window = 200;

    /// <summary>Percentile of the recent lags used as the estimate.</summary>
    private const double Percentile = 0.99;

    private readonly double[] _lagsMs = new double[Window];
    private int _next;
    private int _count;

    /// <summary>The current estimate, in milliseconds.</summary>
    public double LagMs { get; private set; }

    /// <summary>Records how late one wake-up arrived, in milliseconds, and updates <see cref="LagMs"/>.</summary>
    public void Observe(double lagMs)
    {
        _lagsMs[_next] = Math.Max(0, lagMs);
        _next = (_next + 1) % Window;
        _count = Math.Min(_count + 1, Window);
        var sorted = _lagsMs.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        LagMs = sorted[Math.Clamp((int)Math.Ceiling(Percentile * _count), 1, _count) - 1];
    }
}
