namespace Rafiki.Batching.Queueing;

/// <summary>
/// Counters of a <see cref="BoundedRequestQueue{T}"/>. Every accepted request is counted in exactly one of
/// <see cref="Queued"/>, <see cref="InFlight"/>, <see cref="Answered"/>, <see cref="OverdueServedLate"/>,
/// <see cref="OverdueRejected"/> and <see cref="Failed"/>, so <see cref="Accepted"/> is their sum.
/// </summary>
public readonly record struct OutcomeCounts(
    long Accepted,
    long RejectedQueueFull,
    long Queued,
    long InFlight,
    long Answered,
    long OverdueServedLate,
    long OverdueRejected,
    long Failed)
{
    /// <summary>Requests offered to the queue: accepted plus rejected because it was full.</summary>
    public long Offered => Accepted + RejectedQueueFull;

    /// <summary>Accepted requests that have ended.</summary>
    public long Finished => Answered + OverdueServedLate + OverdueRejected + Failed;
}
