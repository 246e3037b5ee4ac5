namespace Rafiki.Inference;

/// <summary>Lifecycle state of a running inference job.</summary>
public enum InferenceJobState
{
    /// <summary>Models are loading and measuring their latency; predictions are rejected.</summary>
    Deploying,

    /// <summary>Every model is warm and the job serves predictions.</summary>
    Serving,

    /// <summary>
    /// A model failed to load or stopped. The job replies to every request with the failure until it is removed.
    /// </summary>
    Failed,
}
