namespace Rafiki.Batching;

/// <summary>
/// Decides when the queued requests of one model run, and in batches of what size. Designed for one model that runs
/// one batch at a time: the caller owns the model's busy flag and calls <see cref="Decide"/> only while the model is
/// free, on every arrival, after every completion and when a timer set to <see cref="BatchDecision.WakeAtMs"/> fires.
/// <see cref="Queueing.BatchScheduler{T}"/> does all of that and is the intended caller.
/// </summary>
/// <remarks>
/// Policies are not thread-safe: a policy keeps state between calls (AIMD does) and expects one caller, such as the
/// router actor, that never calls it concurrently.
/// </remarks>
public interface IBatchingPolicy
{
    /// <summary>Name used in inference-job specs and on the command line, such as <c>greedy</c>.</summary>
    string Name { get; }

    /// <summary>Settings the policy was created with.</summary>
    BatchingOptions Options { get; }

    /// <summary>Decides what to do with the queue now; call only while the model is free.</summary>
    BatchDecision Decide(QueueSnapshot queue);

    /// <summary>
    /// Passes the feedback of a finished batch to the policy. The caller also records the latency in the
    /// <see cref="Latency.BatchLatencyModel"/>, which the policy reads but does not update.
    /// </summary>
    void OnBatchCompleted(BatchFeedback feedback);
}
