using Rafiki.Batching;

namespace Rafiki.Bench.Batching;

/// <summary>Everything one bench run needs, as parsed from the command line.</summary>
internal sealed record BenchSettings(
    BatchingOptions Options,
    double DurationMs,
    int Seed,
    double WindowMs,
    double TimerResolutionMs,
    double FixedMs,
    double PerRequestMs,
    double NoiseSigma,
    string? LatencyJsonPath,
    IReadOnlyList<string> Workloads,
    string? PlotsFolder,
    string? MarkdownPath);
