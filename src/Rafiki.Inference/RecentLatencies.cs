using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference;

/// <summary>The most recent latencies, up to a fixed count, and their percentiles.</summary>
internal sealed class RecentLatencies
{
    private readonly double[] _values;
    private int _next;
    private int _count;

    public RecentLatencies(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _values = new double[capacity];
    }

    /// <summary>Adds a latency in milliseconds, replacing the oldest one when the window is full.</summary>
    public void Add(double latencyMs)
    {
        _values[_next] = latencyMs;
        _next = (_next + 1) % _values.Length;
        _count = Math.Min(_count + 1, _values.Length);
    }

    /// <summary>Returns nearest-rank percentiles of the window.</summary>
    public LatencyPercentiles Percentiles()
    {
        if (_count == 0)
        {
            return LatencyPercentiles.None;
        }

        var sorted = _values.AsSpan(0, _count).ToArray();
        Array.Sort(sorted);
        return new LatencyPercentiles(_count, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99));
    }

    private static double Rank(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length), 1, sorted.Length) - 1];
}
