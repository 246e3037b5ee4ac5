namespace Rafiki.Cli.Quickstart;

/// <summary>What <c>rafiki quickstart</c> was asked to do.</summary>
public sealed record QuickstartOptions(
    int MaxTrials,
    int Epochs,
    string DataDirectory,
    string? JsonPath,
    string FashionMnistDirectory,
    string Advisor,
    string EarlyStopping,
    int Seed,
    string Device,
    int Parallel,
    TimeSpan? TimeLimit,
    bool CoStudy);
