using System.Collections.Immutable;
using Rafiki.Core;

namespace Rafiki.Inference;

/// <summary>A message for one inference job, routed by <see cref="JobId"/>.</summary>
public interface IWithInferenceJobId : IRafikiMessage
{
    /// <summary>Id of the inference job.</summary>
    string JobId { get; }
}

/// <summary>Messages of inference jobs.</summary>
public static class InferenceProtocol
{
    /// <summary>
    /// Starts a job that serves the given models. The reply is <see cref="InferenceJobDeployed"/> once every model
    /// is loaded and warm, or <see cref="InferenceJobFailed"/>. Build <see cref="Models"/> from a study with
    /// <see cref="StudyDeployment.SelectModels"/>.
    /// </summary>
    public sealed record DeployInferenceJob(
        string JobId, string StudyId, ImmutableArray<DeployedModel> Models, InferenceJobSettings Settings) : IWithInferenceJobId;

    /// <summary>The job serves predictions; <see cref="BatchLatenciesMs"/> contains each model's warm-up latency by batch size.</summary>
    public sealed record InferenceJobDeployed(string JobId, IReadOnlyList<IReadOnlyDictionary<int, double>> BatchLatenciesMs) : IRafikiMessage;

    /// <summary>The job could not start; nothing keeps running.</summary>
    public sealed record InferenceJobFailed(string JobId, string Reason) : IRafikiMessage;

    /// <summary>
    /// Classifies one image (pixels laid out as in the training dataset). The router replies with exactly one
    /// <see cref="PredictionResult"/>.
    /// </summary>
    public sealed record Predict(string JobId, string RequestId, byte[] Image) : IWithInferenceJobId;

    /// <summary>The answer to one <see cref="Predict"/>.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="RequestId">The request's id, as sent.</param>
    /// <param name="Status">Whether the answer carries a prediction.</param>
    /// <param name="Label">Index of the most probable class; -1 unless <see cref="Status"/> is Ok.</param>
    /// <param name="ClassName">Name of the most probable class; null unless Ok.</param>
    /// <param name="Probabilities">Probability of each class (the mean over an ensemble's models); empty unless Ok.</param>
    /// <param name="LatencyMs">Time from the router receiving the request to the answer, in milliseconds.</param>
    /// <param name="Error">Why the request was rejected, overdue or failed; null when Ok.</param>
    /// <param name="Late">
    /// True when the prediction is Ok but arrived after the job's latency target, which happens when the job serves
    /// overdue requests late instead of rejecting them.
    /// </param>
    public sealed record PredictionResult(
        string JobId,
        string RequestId,
        PredictionStatus Status,
        int Label,
        string? ClassName,
        float[] Probabilities,
        double LatencyMs,
        string? Error = null,
        bool Late = false) : IRafikiMessage;

    /// <summary>Asks for <see cref="InferenceJobStatus"/>.</summary>
    public sealed record GetInferenceJob(string JobId) : IWithInferenceJobId;

    /// <summary>Asks a node's job manager for <see cref="InferenceJobList"/>.</summary>
    public sealed record ListInferenceJobs : IRafikiMessage
    {
        /// <summary>The message; it has no fields.</summary>
        public static ListInferenceJobs Instance { get; } = new();
    }

    /// <summary>The status of every job of a node, ordered by job id.</summary>
    public sealed record InferenceJobList(IReadOnlyList<InferenceJobStatus> Jobs) : IRafikiMessage;

    /// <summary>No inference job has this id.</summary>
    public sealed record InferenceJobNotFound(string JobId) : IRafikiMessage;

    /// <summary>Live statistics of a job.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="StudyId">Study whose trials the job serves.</param>
    /// <param name="TrialIds">Trial of each model, in model order.</param>
    /// <param name="State">Whether the models are still loading.</param>
    /// <param name="Settings">Settings the job was deployed with: policy, tau, Bmax, margin and the rest.</param>
    /// <param name="QueueLength">Requests waiting for a batch now.</param>
    /// <param name="Answered">Requests answered with a prediction, late ones included.</param>
    /// <param name="ServedLate">Requests of <paramref name="Answered"/> answered after the latency target.</param>
    /// <param name="Overdue">Requests answered with <see cref="PredictionStatus.Overdue"/> without running.</param>
    /// <param name="Rejected">Requests rejected because the queue was full or the job was still deploying.</param>
    /// <param name="Failed">Requests with an invalid image or whose batch failed.</param>
    /// <param name="BatchSizeCounts">Number of batches run, by batch size.</param>
    /// <param name="Latency">Latency percentiles of the most recent answered requests, measured at the router.</param>
    /// <param name="WakeUpLag">
    /// How late the router's wake-ups arrived after their due time. The greedy policy adds the p99 of the recent
    /// lags to <see cref="InferenceJobSettings.MarginMs"/> when it decides how long to wait.
    /// </param>
    /// <param name="EstimatedBatchLatenciesMs">
    /// The batch latency estimate c(b) the policy plans with now, at each warm-up batch size: the p99 of the
    /// observed batch latencies, or the warm-up measurement until enough batches of that size ran. Empty while
    /// deploying.
    /// </param>
    /// <param name="Models">Placement and latency of each model.</param>
    public sealed record InferenceJobStatus(
        string JobId,
        string StudyId,
        IReadOnlyList<string> TrialIds,
        InferenceJobState State,
        InferenceJobSettings Settings,
        int QueueLength,
        long Answered,
        long ServedLate,
        long Overdue,
        long Rejected,
        long Failed,
        IReadOnlyDictionary<int, long> BatchSizeCounts,
        LatencyPercentiles Latency,
        LatencyPercentiles WakeUpLag,
        IReadOnlyDictionary<int, double> EstimatedBatchLatenciesMs,
        IReadOnlyList<ModelStatus> Models) : IRafikiMessage
    {
        /// <summary>Batching policy, as in <see cref="InferenceJobSettings.Policy"/>.</summary>
        public string Policy => Settings.Policy;

        /// <summary>Latency target in milliseconds, as in <see cref="InferenceJobSettings.TauMs"/>.</summary>
        public double TauMs => Settings.TauMs;
    }

    /// <summary>Placement and latency of one model of a job.</summary>
    /// <param name="Index">Position in the job's model list.</param>
    /// <param name="TrialId">Trial the model comes from.</param>
    /// <param name="ActorPath">Full path of the model actor, which names the node it runs on; null until ready.</param>
    /// <param name="WarmupLatenciesMs">Latency by batch size measured while warming up; empty until ready.</param>
    /// <param name="ForwardLatency">Forward-pass time of the model's most recent batches, measured on the model's node.</param>
    public sealed record ModelStatus(
        int Index,
        string TrialId,
        string? ActorPath,
        IReadOnlyDictionary<int, double> WarmupLatenciesMs,
        LatencyPercentiles ForwardLatency) : IRafikiMessage;

    /// <summary>Percentiles of a window of recent latencies; all 0 when <see cref="Count"/> is 0.</summary>
    /// <param name="Count">Latencies in the window.</param>
    /// <param name="P50Ms">Median, in milliseconds.</param>
    /// <param name="P95Ms">95th percentile, in milliseconds.</param>
    /// <param name="P99Ms">99th percentile, in milliseconds.</param>
    public sealed record LatencyPercentiles(int Count, double P50Ms, double P95Ms, double P99Ms) : IRafikiMessage
    {
        /// <summary>Percentiles of an empty window.</summary>
        public static LatencyPercentiles None { get; } = new(0, 0, 0, 0);
    }

    /// <summary>
    /// Stops the job and frees its models; requests still queued or running are answered as rejected.
    /// </summary>
    public sealed record StopInferenceJob(string JobId) : IWithInferenceJobId;

    /// <summary>The job has stopped.</summary>
    public sealed record InferenceJobStopped(string JobId) : IRafikiMessage;
}
