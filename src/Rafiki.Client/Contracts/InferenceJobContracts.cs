namespace Rafiki.Client.Contracts;

/// <summary>Latency target and batching settings of an inference job; a null field takes the server's default.</summary>
/// <param name="TauMs">
/// Latency target tau in milliseconds: the maximum time from a request's arrival at the job's router to its answer.
/// Above 0, at most 3,600,000 (one hour); 100 by default.
/// </param>
/// <param name="Policy">Batching policy: <c>greedy</c> (the default), <c>none</c>, <c>fixed-wait</c> or <c>aimd</c>.</param>
/// <param name="MarginMs">
/// Greedy policy: time in milliseconds kept in reserve on top of the estimated batch latency; 0 or more and below
/// <paramref name="TauMs"/>; 3 by default.
/// </param>
/// <param name="MaxWaitMs">
/// Fixed-wait policy: maximum time in milliseconds the oldest queued request waits for a batch to fill; the other
/// policies ignore it. 0 to 3,600,000; 5 by default.
/// </param>
/// <param name="MaxBatchSize">Largest batch sent to the models, 1 to 4096; 64 by default.</param>
/// <param name="QueueLimit">
/// Maximum number of waiting requests, 1 to 65,536; more are rejected with HTTP 429. 1024 by default.
/// </param>
/// <param name="OverdueAction">
/// What happens to a request that can no longer be answered within <paramref name="TauMs"/>: <c>serve-late</c>
/// (the default) runs it anyway and marks the prediction late; <c>reject</c> answers it at once with HTTP 503.
/// </param>
/// <param name="MaxLateMs">
/// With <c>serve-late</c>: a request that would end this many milliseconds or more after <paramref name="TauMs"/>,
/// even in a batch of one started now, gets HTTP 503 at once instead of waiting longer. Above 0, at most 3,600,000;
/// 10 times <paramref name="TauMs"/> by default, at most 3,600,000. <c>reject</c> ignores it.
/// </param>
public sealed record InferenceJobSettingsView(
    int? MaxBatchSize = null,
    double? MaxWaitMs = null,
    int? QueueLimit = null,
    double? TauMs = null,
    string? Policy = null,
    double? MarginMs = null,
    string? OverdueAction = null,
    double? MaxLateMs = null);

/// <summary>Body of <c>POST /inference-jobs</c>: which trials of a train job to serve.</summary>
/// <param name="TrainJobId">Train job whose trials to deploy.</param>
/// <param name="TrialIds">Explicit trials to serve as an ensemble; leave null to pick by <paramref name="BestK"/>.</param>
/// <param name="BestK">Serve the K trials with the best validation accuracy as an ensemble; 1 when null.</param>
/// <param name="Settings">Latency target and batching settings.</param>
public sealed record CreateInferenceJobRequest(
    string? TrainJobId, IReadOnlyList<string>? TrialIds = null, int? BestK = null, InferenceJobSettingsView? Settings = null);

/// <summary>Percentiles of a window of recent latencies; all 0 when <see cref="Count"/> is 0.</summary>
/// <param name="Count">Latencies in the window.</param>
/// <param name="P50Ms">Median, in milliseconds.</param>
/// <param name="P95Ms">95th percentile, in milliseconds.</param>
/// <param name="P99Ms">99th percentile, in milliseconds.</param>
public sealed record LatencyPercentilesView(int Count, double P50Ms, double P95Ms, double P99Ms);

/// <summary>Placement and latency of one model of an inference job.</summary>
/// <param name="Index">Position in the job's model list.</param>
/// <param name="TrialId">Trial the model comes from.</param>
/// <param name="Node">Address of the node that runs the model; null until the model is ready.</param>
/// <param name="ActorPath">Full path of the model actor; null until the model is ready.</param>
/// <param name="WarmupLatenciesMs">Batch latency in milliseconds measured while warming up, by batch size.</param>
/// <param name="ForwardLatency">Forward-pass time of the model's most recent batches, measured on its node.</param>
public sealed record ModelStatusView(
    int Index,
    string TrialId,
    string? Node,
    string? ActorPath,
    IReadOnlyDictionary<int, double> WarmupLatenciesMs,
    LatencyPercentilesView ForwardLatency);

/// <summary>Live statistics of a running inference job.</summary>
/// <param name="QueueLength">Requests waiting for a batch.</param>
/// <param name="Answered">Requests answered with a prediction, late ones included.</param>
/// <param name="ServedLate">Requests of <paramref name="Answered"/> answered after the latency target.</param>
/// <param name="Overdue">
/// Requests that got HTTP 503 at once without a prediction: with the overdue action <c>reject</c> because they could
/// no longer meet the latency target, with <c>serve-late</c> because they would have ended maxLateMs or more after it.
/// </param>
/// <param name="Rejected">Requests rejected because the queue was full or the job was still deploying.</param>
/// <param name="Failed">Requests that failed validation in the router or in a model.</param>
/// <param name="BatchSizeCounts">Batches run, by batch size.</param>
/// <param name="Latency">
/// Percentiles of the most recent answered requests' latency, from arrival at the router to the answer.
/// </param>
/// <param name="WakeUpLag">How late the router's timer wake-ups arrived after their due time.</param>
/// <param name="EstimatedBatchLatenciesMs">
/// The batch latency estimate c(b) in milliseconds that the batching policy plans with now, by batch size.
/// </param>
/// <param name="Models">Placement and latency of each model, in model order.</param>
public sealed record InferenceJobStatistics(
    int QueueLength,
    long Answered,
    long ServedLate,
    long Overdue,
    long Rejected,
    long Failed,
    IReadOnlyDictionary<int, long> BatchSizeCounts,
    LatencyPercentilesView Latency,
    LatencyPercentilesView WakeUpLag,
    IReadOnlyDictionary<int, double> EstimatedBatchLatenciesMs,
    IReadOnlyList<ModelStatusView> Models);

/// <summary>An inference job.</summary>
/// <param name="Id">Job id; also the model name of the KServe v2 endpoints.</param>
/// <param name="TrainJobId">Train job whose trials it serves.</param>
/// <param name="TrialIds">Trials it serves; more than one form an ensemble that averages probabilities.</param>
/// <param name="State">running or stopped.</param>
/// <param name="Settings">
/// Settings in effect, with the server's defaults filled in. Jobs deployed before a setting existed leave it null.
/// </param>
/// <param name="Channels">Channels of an input image.</param>
/// <param name="Height">Height of an input image in pixels.</param>
/// <param name="Width">Width of an input image in pixels.</param>
/// <param name="ClassNames">Class names of the predictions.</param>
/// <param name="Owner">Id of the user who deployed it.</param>
/// <param name="CreatedAt">When it was deployed.</param>
/// <param name="StoppedAt">When it was stopped; null while running.</param>
/// <param name="Statistics">Live statistics; null unless running.</param>
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
