using System.Collections.Immutable;
using Rafiki.Core;
using Rafiki.Tuning;

namespace Rafiki.Training.Studies;

/// <summary>A study as clients see it: its spec, state and trials.</summary>
public sealed record StudyStatus(
    string StudyId,
    string Name,
    StudyState State,
    StudySpec Spec,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    ImmutableArray<TrialStatus> Trials) : IRafikiMessage
{
    /// <summary>The trial with the highest validation accuracy, or null before any epoch is recorded.</summary>
    public TrialStatus? Best => Trials
        .Where(trial => trial.BestCheckpointId is not null)
        .OrderByDescending(trial => trial.ValAccuracy)
        .ThenBy(trial => trial.Number)
        .FirstOrDefault();
}

/// <summary>A trial as clients see it.</summary>
/// <param name="Id">Trial id.</param>
/// <param name="Number">1-based position in the study.</param>
/// <param name="Model">Model family name.</param>
/// <param name="Knobs">Knob values.</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="Epochs">Epochs finished and recorded.</param>
/// <param name="ValAccuracy">Best validation accuracy over the recorded epochs; 0 before the first.</param>
/// <param name="BestCheckpointId">Checkpoint of the best epoch; null before the first.</param>
/// <param name="History">Every recorded epoch, in order.</param>
/// <param name="CurrentEpoch">Epoch in progress while running (live, not persisted).</param>
/// <param name="CurrentEpochFraction">Fraction of <paramref name="CurrentEpoch"/> done (live, not persisted).</param>
/// <param name="Reason">Why the trial failed or stopped, or why its last attempt failed; null otherwise.</param>
/// <param name="Attempt">1 for the first run, then one more per retry after a failure.</param>
/// <param name="Worker">Address of the worker node a running trial last reported from (live, not persisted).</param>
/// <param name="WarmStartFrom">Under CoStudy, the earlier trial and checkpoint this trial started from; null otherwise.</param>
/// <param name="WarmStartLoad">Which tensors that warm start loaded; null before the first epoch or without a warm start.</param>
public sealed record TrialStatus(
    string Id,
    int Number,
    string Model,
    Knobs Knobs,
    TrialState State,
    int Epochs,
    double ValAccuracy,
    string? BestCheckpointId,
    ImmutableArray<EpochReport> History,
    int CurrentEpoch,
    double CurrentEpochFraction,
    string? Reason,
    int Attempt = 1,
    string? Worker = null,
    WarmStart? WarmStartFrom = null,
    WarmStartLoad? WarmStartLoad = null);
