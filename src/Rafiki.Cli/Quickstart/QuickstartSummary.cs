using Rafiki.Tuning;

namespace Rafiki.Cli.Quickstart;

/// <summary>The JSON summary that <c>--json</c> writes.</summary>
public sealed record QuickstartSummary(
    string StudyId,
    IReadOnlyList<TrialSummary> Trials,
    BestTrialSummary? Best,
    double? TestAccuracy,
    InferenceSummary? Inference,
    IReadOnlyList<string> EarlierStudies,
    bool Resumed,
    double DurationSeconds);

/// <summary>One trial in the summary; <see cref="WarmStartFrom"/> names the trial whose checkpoint it started from under CoStudy.</summary>
public sealed record TrialSummary(
    string Id, string Model, Knobs Knobs, string State, int Epochs, double ValAccuracy, string? Reason, string? WarmStartFrom);

/// <summary>The best trial.</summary>
public sealed record BestTrialSummary(string TrialId, string Model, double ValAccuracy);

/// <summary>Prediction statistics over the test split, measured by the client around each request.</summary>
/// <param name="Requests">Requests sent.</param>
/// <param name="P50Ms">Median latency in milliseconds.</param>
/// <param name="P99Ms">99th-percentile latency in milliseconds.</param>
/// <param name="ThroughputPerSec">Predictions per second over the whole run.</param>
/// <param name="MeanBatchSize">Mean number of requests per model batch.</param>
/// <param name="Failed">Requests answered with a status other than ok.</param>
public sealed record InferenceSummary(int Requests, double P50Ms, double P99Ms, double ThroughputPerSec, double MeanBatchSize, int Failed);
