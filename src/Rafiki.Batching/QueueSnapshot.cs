namespace Rafiki.Batching;

/// <summary>
/// The arrival times of the queued requests, oldest first, and the current time, as a policy sees them when the
/// model is free. Times are in milliseconds on the router's monotonic clock.
/// </summary>
/// <remarks>
/// The snapshot wraps the list it is given without copying it, so a snapshot of a live queue is valid only until
/// the queue changes. Arrival times must be in non-decreasing order. <see cref="Queueing.BoundedRequestQueue{T}"/>
/// enforces that order, and the policies rely on it without checking it again.
/// </remarks>
public sealed class QueueSnapshot
{
    private readonly IReadOnlyList<double> _arrivalsMs;
    private readonly int _offset;

    /// <param name="nowMs">Current time.</param>
    /// <param name="arrivalsMs">Arrival time of each queued request, oldest first.</param>
    public QueueSnapshot(double nowMs, IReadOnlyList<double> arrivalsMs)
        : this(nowMs, arrivalsMs, 0)
    {
    }

    private QueueSnapshot(double nowMs, IReadOnlyList<double> arrivalsMs, int offset)
    {
        ArgumentNullException.ThrowIfNull(arrivalsMs);
        if (!double.IsFinite(nowMs))
        {
            throw new ArgumentException($"nowMs is {nowMs}; pass a finite time in milliseconds.", nameof(nowMs));
        }

        NowMs = nowMs;
        _arrivalsMs = arrivalsMs;
        _offset = offset;
    }

    /// <summary>Current time.</summary>
    public double NowMs { get; }

    /// <summary>Number of queued requests.</summary>
    public int Count => _arrivalsMs.Count - _offset;

    /// <summary>True when no request is queued.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>Arrival time of the oldest queued request.</summary>
    /// <exception cref="InvalidOperationException">The queue is empty.</exception>
    public double OldestArrivalMs => IsEmpty
        ? throw new InvalidOperationException("The queue snapshot is empty, so it has no oldest request.")
        : _arrivalsMs[_offset];

    /// <summary>Time the oldest queued request has waited so far.</summary>
    public double OldestWaitMs => NowMs - OldestArrivalMs;

    /// <summary>Returns the arrival time of the request at <paramref name="index"/>, where 0 is the oldest.</summary>
    public double ArrivalMs(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _arrivalsMs[_offset + index];
    }

    /// <summary>Returns a snapshot of the same queue without its <paramref name="count"/> oldest requests.</summary>
    public QueueSnapshot WithoutOldest(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return count == 0 ? this : new QueueSnapshot(NowMs, _arrivalsMs, _offset + count);
    }
}
