namespace Rafiki.Batching.Queueing;

/// <summary>How an accepted request ended; each accepted request ends exactly once.</summary>
public enum RequestOutcome
{
    /// <summary>Ran in a batch and was answered within the latency target.</summary>
    Answered,

    /// <summary>Ran in a batch but was answered after the latency target.</summary>
    OverdueServedLate,

    /// <summary>Removed from the queue without running because it could no longer be answered in time.</summary>
    OverdueRejected,

    /// <summary>
    /// Its batch failed, for example because the model crashed, so the caller replies with the error.
    /// </summary>
    Failed,
}
