namespace Rafiki.Batching.Latency;

/// <summary>The most recent observations, up to a fixed count, with percentiles over them.</summary>
internal sealed class SlidingWindow
{
    private readonly double[] _values;
    private int _next;

    public SlidingWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _values = new double[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Adds a value, replacing the oldest one when the window is full.</summary>
    public void Add(double value)
    {
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        Count = Math.Min(Count + 1, _values.Length);
    }

    /// <summary>Returns the nearest-rank percentile of the values, for a fraction in (0, 1].</summary>
    public double Percentile(double fraction)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The window is empty, so it has no percentile.");
        }

        var sorted = _values.AsSpan(0, Count).ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(fraction * Count);
        return sorted[Math.Clamp(rank, 1, Count) - 1];
    }
}
