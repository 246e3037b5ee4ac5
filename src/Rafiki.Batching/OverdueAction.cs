namespace Rafiki.Batching;

/// <summary>What happens to a queued request that can no longer be answered within the latency target.</summary>
public enum OverdueAction
{
    /// <summary>
    /// Keep the request queued and run it anyway, so its response arrives after the latency target. A request that
    /// would end <see cref="BatchingOptions.MaxLateMs"/> or more after the target even in a batch of one started now
    /// has expired. It is removed and gets an overdue error at once, as with <see cref="Reject"/>.
    /// </summary>
    ServeLate,

    /// <summary>
    /// Remove the request from the queue without running it and reply at once with an overdue error.
    /// </summary>
    Reject,
}
