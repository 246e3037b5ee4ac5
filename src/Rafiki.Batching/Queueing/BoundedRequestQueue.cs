namespace Rafiki.Batching.Queueing;

/// <summary>
/// A first-in, first-out queue of requests with a fixed capacity, and the bookkeeping that gives every accepted
/// request exactly one <see cref="RequestOutcome"/>. An arrival that finds the queue full is rejected at once;
/// nothing ever blocks. A request leaves the queue once, either rejected as overdue or in a batch, and a batch is
/// completed or failed once; any second attempt throws <see cref="InvalidOperationException"/>.
/// </summary>
/// <remarks>Not thread-safe: one owner, such as the router actor, makes every call.</remarks>
public sealed class BoundedRequestQueue<T>
{
    private readonly QueuedRequest<T>[] _ring;
    private readonly Dictionary<long, InFlightBatch<T>> _inFlight = new();
    private readonly double _tauMs;
    private int _head;
    private int _inFlightRequests;
    private long _nextSequence;
    private long _nextBatchId;
    private double _lastArrivalMs = double.NegativeInfinity;
    private long _rejectedQueueFull;
    private long _answered;
    private long _servedLate;
    private long _overdueRejected;
    private long _failed;

    /// <param name="capacity">Maximum number of waiting requests; requests in flight do not count.</param>
    /// <param name="tauMs">Latency target, which separates answered requests from late ones.</param>
    public BoundedRequestQueue(int capacity, double tauMs)
    {
        if (capacity < 1)
        {
            throw new ArgumentException(
                $"Queue capacity {capacity} is invalid; give the maximum number of waiting requests, at least 1.",
                nameof(capacity));
        }

        if (!(tauMs > 0) || double.IsInfinity(tauMs))
        {
            throw new ArgumentException(
                $"Latency target {tauMs} ms is invalid; give a finite latency target above 0 ms.", nameof(tauMs));
        }

        _ring = new QueuedRequest<T>[capacity];
        _tauMs = tauMs;
        ArrivalTimes = new ArrivalView(this);
    }

    /// <summary>Maximum number of waiting requests.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Number of waiting requests.</summary>
    public int Count { get; private set; }

    /// <summary>Number of requests in batches that have started and not yet completed or failed.</summary>
    public int InFlightCount => _inFlightRequests;

    /// <summary>Number of batches that have started and not yet completed or failed.</summary>
    public int InFlightBatchCount => _inFlight.Count;

    /// <summary>Current counters.</summary>
    public OutcomeCounts Counts => new(
        Accepted: _nextSequence,
        RejectedQueueFull: _rejectedQueueFull,
        Queued: Count,
        InFlight: _inFlightRequests,
        Answered: _answered,
        OverdueServedLate: _servedLate,
        OverdueRejected: _overdueRejected,
        Failed: _failed);

    /// <summary>Arrival times of the waiting requests, oldest first; a live view, not a copy.</summary>
    public IReadOnlyList<double> ArrivalTimes { get; }

    /// <summary>Queues the request, or rejects it when the queue is full.</summary>
    /// <param name="request">The caller's request.</param>
    /// <param name="arrivalMs">Arrival time on a monotonic clock, not earlier than any previous arrival.</param>
    /// <exception cref="ArgumentException"><paramref name="arrivalMs"/> is not finite or is earlier than the previous
    /// arrival, which breaks the order that the policies rely on.</exception>
    public EnqueueResult TryEnqueue(T request, double arrivalMs)
    {
        if (!double.IsFinite(arrivalMs) || arrivalMs < _lastArrivalMs)
        {
            throw new ArgumentException(
                $"Arrival time {arrivalMs} ms is invalid because it is not finite or is earlier than the previous "
                + $"arrival ({_lastArrivalMs} ms); take arrival times from one monotonic clock.",
                nameof(arrivalMs));
        }

        if (Count == _ring.Length)
        {
            _rejectedQueueFull++;
            return EnqueueResult.RejectedQueueFull;
        }

        _lastArrivalMs = arrivalMs;
        _ring[(_head + Count) % _ring.Length] = new QueuedRequest<T>(_nextSequence++, request, arrivalMs);
        Count++;
        return EnqueueResult.Accepted;
    }

    /// <summary>
    /// Returns the waiting requests, oldest first, without removing them. An owner that shuts down uses it to reply
    /// to every request that will now never run.
    /// </summary>
    public IReadOnlyList<QueuedRequest<T>> WaitingRequests()
    {
        var waiting = new QueuedRequest<T>[Count];
        for (var i = 0; i < Count; i++)
        {
            waiting[i] = _ring[(_head + i) % _ring.Length];
        }

        return waiting;
    }

    /// <summary>Returns a snapshot for a policy; it stays valid until the queue changes.</summary>
    public QueueSnapshot Snapshot(double nowMs) => new(nowMs, ArrivalTimes);

    /// <summary>
    /// Removes the <paramref name="count"/> oldest waiting requests and ends them as overdue-rejected.
    /// </summary>
    public IReadOnlyList<FinishedRequest<T>> RejectOverdue(int count, double nowMs)
    {
        var removed = Dequeue(count);
        _overdueRejected += removed.Length;
        return removed.Select(request => new FinishedRequest<T>(request, RequestOutcome.OverdueRejected, nowMs))
            .ToArray();
    }

    /// <summary>
    /// Removes <paramref name="size"/> waiting requests as a batch that is now in flight: the oldest ones after the
    /// <paramref name="skip"/> oldest, which stay queued in their order.
    /// </summary>
    public InFlightBatch<T> StartBatch(int size, double startedAtMs, int skip = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        var requests = RemoveAfterSkipped(skip, size);
        var batch = new InFlightBatch<T>(_nextBatchId++, requests, startedAtMs);
        _inFlight.Add(batch.Id, batch);
        _inFlightRequests += batch.Size;
        return batch;
    }

    /// <summary>
    /// Ends every request of the batch as answered, or as served late when it ended more than the latency target
    /// after its arrival.
    /// </summary>
    /// <exception cref="InvalidOperationException">The batch is not in flight.</exception>
    public IReadOnlyList<FinishedRequest<T>> CompleteBatch(long batchId, double completedAtMs)
    {
        var batch = RemoveInFlight(batchId);
        var finished = new FinishedRequest<T>[batch.Size];
        for (var i = 0; i < batch.Size; i++)
        {
            var request = batch.Requests[i];
            var late = completedAtMs - request.ArrivalMs > _tauMs;
            if (late)
            {
                _servedLate++;
            }
            else
            {
                _answered++;
            }

            var outcome = late ? RequestOutcome.OverdueServedLate : RequestOutcome.Answered;
            finished[i] = new FinishedRequest<T>(request, outcome, completedAtMs);
        }

        return finished;
    }

    /// <summary>Ends every request of the batch as failed.</summary>
    /// <exception cref="InvalidOperationException">The batch is not in flight.</exception>
    public IReadOnlyList<FinishedRequest<T>> FailBatch(long batchId, double failedAtMs)
    {
        var batch = RemoveInFlight(batchId);
        _failed += batch.Size;
        return batch.Requests.Select(request => new FinishedRequest<T>(request, RequestOutcome.Failed, failedAtMs))
            .ToArray();
    }

    private QueuedRequest<T>[] Dequeue(int count) => RemoveAfterSkipped(0, count);

    /// <summary>
    /// Removes the <paramref name="count"/> requests after the <paramref name="skip"/> oldest, then moves the
    /// skipped ones up by <paramref name="count"/> slots so the waiting requests stay contiguous and in order.
    /// </summary>
    private QueuedRequest<T>[] RemoveAfterSkipped(int skip, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (skip + count > Count)
        {
            throw new InvalidOperationException(skip == 0
                ? $"Cannot remove {count} requests because only {Count} are waiting."
                : $"Cannot start a batch of {count} after {skip} skipped requests because only {Count} are waiting.");
        }

        var removed = new QueuedRequest<T>[count];
        for (var i = 0; i < count; i++)
        {
            removed[i] = _ring[(_head + skip + i) % _ring.Length];
        }

        for (var i = skip - 1; i >= 0; i--)
        {
            _ring[(_head + i + count) % _ring.Length] = _ring[(_head + i) % _ring.Length];
        }

        // Clear the freed slots so the queue does not keep a finished request reachable.
        for (var i = 0; i < count; i++)
        {
            _ring[(_head + i) % _ring.Length] = null!;
        }

        _head = (_head + count) % _ring.Length;
        Count -= count;
        return removed;
    }

    private InFlightBatch<T> RemoveInFlight(long batchId)
    {
        if (!_inFlight.Remove(batchId, out var batch))
        {
            throw new InvalidOperationException(
                $"Batch {batchId} is not in flight: it was never started, or it already completed or failed.");
        }

        _inFlightRequests -= batch.Size;
        return batch;
    }

    /// <summary>Read-only view of the waiting requests' arrival times.</summary>
    private sealed class ArrivalView(BoundedRequestQueue<T> queue) : IReadOnlyList<double>
    {
        public int Count => queue.Count;

        public double this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, queue.Count);
                return queue._ring[(queue._head + index) % queue._ring.Length].ArrivalMs;
            }
        }

        public IEnumerator<double> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
