using Rafiki.Inference;

namespace Rafiki.Bench.Inference;

/// <summary>Everything one bench run needs, parsed from the command line.</summary>
/// <param name="FashionMnistDirectory">Folder with the four gzipped IDX files of Fashion-MNIST.</param>
/// <param name="WorkDirectory">Folder for the trained checkpoint, reused by later runs.</param>
/// <param name="TrainImages">Training images the small CNN learns from, the first ones of the training file.</param>
/// <param name="TorchThreads">Threads libtorch uses per operation.</param>
/// <param name="Job">Job settings shared by every run; the policy is replaced per run.</param>
/// <param name="Policies">Policies to compare.</param>
/// <param name="Workloads">Workloads to run, by name.</param>
/// <param name="SteadyDurationMs">Arrival period of the saturation, constant, Poisson and bursty workloads.</param>
/// <param name="SineDurationMs">Arrival period of the sine workload.</param>
/// <param name="SinePeriodMs">Length of one sine cycle.</param>
/// <param name="WindowMs">Width of the time-series windows.</param>
/// <param name="Seed">Seed of the arrival times; every policy sees the same arrivals.</param>
/// <param name="PlotsFolder">Folder for the sine workload's PNG plots, or null for none.</param>
/// <param name="MarkdownPath">File for the Markdown report, or null to print it only.</param>
/// <param name="RequestLogsFolder">Folder for one CSV request log per run, or null for none.</param>
internal sealed record BenchSettings(
    string FashionMnistDirectory,
    string WorkDirectory,
    int TrainImages,
    int TorchThreads,
    InferenceJobSettings Job,
    IReadOnlyList<string> Policies,
    IReadOnlyList<string> Workloads,
    double SteadyDurationMs,
    double SineDurationMs,
    double SinePeriodMs,
    double WindowMs,
    int Seed,
    string? PlotsFolder,
    string? MarkdownPath,
    string? RequestLogsFolder);
