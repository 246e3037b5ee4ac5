using System.Text.Json;
using Rafiki.Api.Data;
using Rafiki.Client.Contracts;
using Rafiki.Core;
using Rafiki.Training.Studies;

namespace Rafiki.Api.Endpoints;

/// <summary>Maps studies and trials of the actor layer to the train-job views of the API.</summary>
public static class TrainJobViews
{
    /// <summary>Returns the view of a train job from its record and its study's status.</summary>
    public static TrainJobView Of(TrainJobRecord job, StudyStatus status)
    {
        var spec = status.Spec;
        var budget = new TrainJobBudget(
            spec.Budget.MaxTrials, spec.Budget.MaxEpochs, spec.Budget.DeviceSlots, spec.Budget.TimeLimit?.TotalSeconds,
            spec.Budget.QueuedTrials);
        return new TrainJobView(
            job.Id, job.Name, ApiNames.Of(spec.Task), ApiNames.Of(status.State), spec.TrainDatasetId, spec.ValidationDatasetId,
            [.. spec.ModelFamilies], budget, spec.Advisor, spec.EarlyStopping, spec.EffectiveCoStudy.Enabled, job.OwnerId, status.CreatedAt,
            status.EndedAt, [.. status.Trials.Select(Of)], status.Best is { } best ? Of(best) : null, spec.KnobNarrowings);
    }

    /// <summary>Returns the view of a trial.</summary>
    public static TrialView Of(TrialStatus trial) => new(
        trial.Id,
        trial.Number,
        trial.Model,
        trial.Knobs.ToDictionary(pair => pair.Key, pair => JsonSerializer.SerializeToElement(pair.Value, RafikiJson.Options)),
        ApiNames.Of(trial.State),
        trial.Epochs,
        trial.ValAccuracy,
        trial.BestCheckpointId is not null,
        [.. trial.History.Select(epoch => new EpochView(
            epoch.Epoch, epoch.TrainLoss, epoch.TrainAccuracy, epoch.ValidationAccuracy, epoch.ValidationLoss, epoch.DurationSeconds))],
        trial.Reason,
        trial.WarmStartFrom?.TrialId);

    /// <summary>Returns the trials that have a checkpoint, best validation accuracy first (earlier trials win ties).</summary>
    public static IEnumerable<TrialStatus> Deployable(StudyStatus status) => status.Trials
        .Where(trial => trial.BestCheckpointId is not null)
        .OrderByDescending(trial => trial.ValAccuracy)
        .ThenBy(trial => trial.Number);
}
