namespace Rafiki.Inference;

/// <summary>Outcome of one prediction request.</summary>
public enum PredictionStatus
{
    /// <summary>The result carries a prediction. Its <c>Late</c> flag is true when it missed the latency target.</summary>
    Ok,

    /// <summary>The queue was full, the job was still deploying or the job stopped; retry later.</summary>
    Rejected,

    /// <summary>The request was invalid or the model failed; the error gives the reason.</summary>
    Failed,

    /// <summary>
    /// The request could no longer be served within the job's latency target, so the router replied at once without
    /// a prediction. Jobs whose overdue action is <see cref="Batching.OverdueAction.Reject"/> reply so as soon as a
    /// request turns overdue. Jobs with <see cref="Batching.OverdueAction.ServeLate"/> reply so only once a request
    /// would end <see cref="InferenceJobSettings.MaxLateMs"/> or more after the latency target.
    /// </summary>
    Overdue,
}
