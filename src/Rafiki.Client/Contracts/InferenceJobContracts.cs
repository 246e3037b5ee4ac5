namespace Rafiki.Client.Contracts;

/// <summary>Batching settings of an inference job; a null field takes the server's default.</summary>
/// <param name="MaxBatchSize">Largest batch sent to the models, 1 to 4096.</param>
/// <param name="MaxWaitMs">Longest time in milliseconds the oldest queued request waits for a batch to fill.</param>
/// <param name="QueueLimit">Maximum number of waiting requests; more are rejected with HTTP 429.</param>
public sealed record InferenceJobSettingsView(int? MaxBatchSize = null, double? MaxWaitMs = null, int? QueueLimit = null);

/// <summary>Body of <c>POST /inference-jobs</c>: which trials of a train job to serve.</summary>
/// <param name="TrainJobId">Train job whose trials to deploy.</param>
/// <param name="TrialIds">Explicit trials to serve as an ensemble; leave null to pick by <paramref name="BestK"/>.</param>
/// <param name="BestK">Serve the K trials with the best validation accuracy as an ensemble; 1 when null.</param>
/// <param name="Settings">Batching settings.</param>
public sealed record CreateInferenceJobRequest(
    string? TrainJobId, IReadOnlyList<string>? TrialIds = null, int? BestK = null, InferenceJobSettingsView? Settings = null);

/// <summary>Live counters of a running inference job.</summary>
/// <param name="QueueLength">Requests waiting for a batch.</param>
/// <param name="Answered">Predictions answered.</param>
/// <param name="Rejected">Requests rejected because the queue was full.</param>
/// <param name="Failed">Requests that failed validation in the router or in a model.</param>
/// <param name="BatchSizeCounts">Batches run, by batch size.</param>
public sealed record InferenceJobStatistics(
    int QueueLength, long Answered, long Rejected, long Failed, IReadOnlyDictionary<int, long> BatchSizeCounts);

/// <summary>An inference job.</summary>
/// <param name="Id">Job id; also the model name of the KServe v2 endpoints.</param>
/// <param name="TrainJobId">Train job whose trials it serves.</param>
/// <param name="TrialIds">Trials it serves; more than one form an ensemble that averages probabilities.</param>
/// <param name="State">running or stopped.</param>
/// <param name="Settings">Batching settings in effect.</param>
/// <param name="Channels">Channels of an input image.</param>
/// <param name="Height">Height of an input image in pixels.</param>
/// <param name="Width">Width of an input image in pixels.</param>
/// <param name="ClassNames">Class names of the predictions.</param>
/// <param name="Owner">Id of the user who deployed it.</param>
/// <param name="CreatedAt">When it was deployed.</param>
/// <param name="StoppedAt">When it was stopped; null while running.</param>
/// <param name="Statistics">Live counters; null unless running.</param>
public sealed record InferenceJobView(
    string Id,
    string TrainJobId,
    IReadOnlyList<string> TrialIds,
    string State,
    InferenceJobSettingsView Settings,
    int Channels,
    int Height,
    int Width,
    IReadOnlyList<string> ClassNames,
    string Owner,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StoppedAt,
    InferenceJobStatistics? Statistics);
