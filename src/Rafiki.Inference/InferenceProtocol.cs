using System.Collections.Immutable;
using Rafiki.Core;
using Rafiki.Models;
using Rafiki.Tuning;

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
    /// <summary>Starts a job that serves the given models; answered with <see cref="InferenceJobDeployed"/> once every model is warm, or <see cref="InferenceJobFailed"/>.</summary>
    public sealed record DeployInferenceJob(
        string JobId, string StudyId, ImmutableArray<DeployedModel> Models, InferenceJobSettings Settings) : IWithInferenceJobId;

    /// <summary>The job serves predictions; <see cref="BatchLatenciesMs"/> holds each model's measured latency by batch size.</summary>
    public sealed record InferenceJobDeployed(string JobId, IReadOnlyList<IReadOnlyDictionary<int, double>> BatchLatenciesMs) : IRafikiMessage;

    /// <summary>The job could not start; nothing keeps running.</summary>
    public sealed record InferenceJobFailed(string JobId, string Reason) : IRafikiMessage;

    /// <summary>Classifies one image (pixels laid out as in the training dataset); answered with <see cref="PredictionResult"/>.</summary>
    public sealed record Predict(string JobId, string RequestId, byte[] Image) : IWithInferenceJobId;

    /// <summary>The answer to one <see cref="Predict"/>.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="RequestId">The request's id, as sent.</param>
    /// <param name="Status">Whether the prediction is usable.</param>
    /// <param name="Label">Index of the most probable class; -1 unless <see cref="Status"/> is Ok.</param>
    /// <param name="ClassName">Name of the most probable class; null unless Ok.</param>
    /// <param name="Probabilities">Probability of each class; empty unless Ok.</param>
    /// <param name="LatencyMs">Time from the router receiving the request to the answer, in milliseconds.</param>
    /// <param name="Error">Why the request was rejected or failed; null when Ok.</param>
    public sealed record PredictionResult(
        string JobId,
        string RequestId,
        PredictionStatus Status,
        int Label,
        string? ClassName,
        float[] Probabilities,
        double LatencyMs,
        string? Error = null) : IRafikiMessage;

    /// <summary>Asks for <see cref="InferenceJobStatus"/>.</summary>
    public sealed record GetInferenceJob(string JobId) : IWithInferenceJobId;

    /// <summary>No inference job has this id.</summary>
    public sealed record InferenceJobNotFound(string JobId) : IRafikiMessage;

    /// <summary>Live statistics of a job.</summary>
    public sealed record InferenceJobStatus(
        string JobId,
        string StudyId,
        IReadOnlyList<string> TrialIds,
        int QueueLength,
        long Answered,
        long Rejected,
        long Failed,
        IReadOnlyDictionary<int, long> BatchSizeCounts) : IRafikiMessage;

    /// <summary>Stops the job and frees its models; queued requests are answered as rejected.</summary>
    public sealed record StopInferenceJob(string JobId) : IWithInferenceJobId;

    /// <summary>The job has stopped.</summary>
    public sealed record InferenceJobStopped(string JobId) : IRafikiMessage;
}

/// <summary>Outcome of one prediction request.</summary>
public enum PredictionStatus
{
    Ok,

    /// <summary>The queue was full or the job stopped; retry later.</summary>
    Rejected,

    /// <summary>The request was invalid or the model failed; the error says why.</summary>
    Failed,
}

/// <summary>One trained model that a job serves.</summary>
public sealed record DeployedModel(
    string TrialId, string Family, Knobs Knobs, string CheckpointId, ImageShape Input, IReadOnlyList<string> ClassNames);

/// <summary>How a job batches requests.</summary>
/// <param name="MaxBatchSize">Largest batch sent to the models.</param>
/// <param name="MaxWaitMs">Longest time the oldest queued request waits for a batch to fill, in milliseconds.</param>
/// <param name="QueueLimit">Most requests waiting; more are rejected at once.</param>
/// <param name="Device">TorchSharp device the models run on.</param>
public sealed record InferenceJobSettings(int MaxBatchSize = 64, double MaxWaitMs = 5, int QueueLimit = 10_000, string Device = "cpu")
{
    /// <summary>Returns every invalid setting, each naming the value and the fix; empty if valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxBatchSize is < 1 or > 4096)
        {
            problems.Add($"maxBatchSize: {MaxBatchSize} is invalid; use 1 to 4096.");
        }

        if (MaxWaitMs < 0 || !double.IsFinite(MaxWaitMs))
        {
            problems.Add($"maxWaitMs: {MaxWaitMs} is invalid; use 0 or more milliseconds.");
        }

        if (QueueLimit < 1)
        {
            problems.Add($"queueLimit: {QueueLimit} is invalid; use 1 or more.");
        }

        return problems;
    }
}
