using System.Collections.Immutable;

namespace Rafiki.Inference;

/// <summary>Which trials of a study an inference job serves.</summary>
public enum ModelSelectionKind
{
    /// <summary>The trial with the highest validation accuracy.</summary>
    Best,

    /// <summary>The <see cref="ModelSelection.Count"/> trials with the highest validation accuracy, as an ensemble.</summary>
    BestK,

    /// <summary>The trials named in <see cref="ModelSelection.TrialIds"/>, in that order.</summary>
    Trials,
}

/// <summary>Which trials of a study to deploy; create one with <see cref="Best"/>, <see cref="BestK"/> or <see cref="Of"/>.</summary>
/// <param name="Kind">How the trials are chosen.</param>
/// <param name="Count">Number of trials for <see cref="ModelSelectionKind.BestK"/>; 1 otherwise.</param>
/// <param name="TrialIds">The trials for <see cref="ModelSelectionKind.Trials"/>; empty otherwise.</param>
public sealed record ModelSelection(ModelSelectionKind Kind, int Count, ImmutableArray<string> TrialIds)
{
    /// <summary>The best trial alone.</summary>
    public static ModelSelection Best { get; } = new(ModelSelectionKind.Best, 1, []);

    /// <summary>Returns a selection of the <paramref name="count"/> best trials, served as an ensemble.</summary>
    public static ModelSelection BestK(int count) => new(ModelSelectionKind.BestK, count, []);

    /// <summary>Returns a selection of the given trials; several are served as an ensemble.</summary>
    public static ModelSelection Of(params string[] trialIds) => new(ModelSelectionKind.Trials, 1, [.. trialIds]);
}
