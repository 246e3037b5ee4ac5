namespace Rafiki.Batching.Queueing;

/// <summary>Result of offering a request to a <see cref="BoundedRequestQueue{T}"/>.</summary>
public enum EnqueueResult
{
    /// <summary>The request is queued and will end with exactly one <see cref="RequestOutcome"/>.</summary>
    Accepted,

    /// <summary>The queue was full; the caller replies at once with a rejection.</summary>
    RejectedQueueFull,
}
