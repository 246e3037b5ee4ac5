using System.Collections.Immutable;
using Rafiki.Models;
using Rafiki.Training.Studies;

namespace Rafiki.Inference;

/// <summary>Turns a study's trials into the models of a <see cref="InferenceProtocol.DeployInferenceJob"/>.</summary>
public static class StudyDeployment
{
    /// <summary>
    /// Returns the deployed models for the trials that <paramref name="selection"/> picks. Only trials with a
    /// checkpoint count; each model loads its trial's best checkpoint. Trials rank by validation accuracy, ties by
    /// trial number, as in <see cref="StudyStatus.Best"/>.
    /// </summary>
    /// <param name="study">The study, as returned by its master.</param>
    /// <param name="selection">Which trials to serve.</param>
    /// <param name="input">Shape of the study's images.</param>
    /// <param name="classNames">Class names of the study's dataset, in label order.</param>
    /// <exception cref="ArgumentException">
    /// The selection cannot be met: no trial has a checkpoint, fewer trials than asked have one, or a named trial is
    /// unknown or has no checkpoint. The message names the value and the fix.
    /// </exception>
    public static ImmutableArray<DeployedModel> SelectModels(
        StudyStatus study, ModelSelection selection, ImageShape input, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(selection);
        var ranked = study.Trials
            .Where(trial => trial.BestCheckpointId is not null)
            .OrderByDescending(trial => trial.ValAccuracy)
            .ThenBy(trial => trial.Number)
            .ToList();
        var trials = selection.Kind switch
        {
            ModelSelectionKind.Best => TakeBest(study.StudyId, ranked, 1),
            ModelSelectionKind.BestK => TakeBest(study.StudyId, ranked, selection.Count),
            ModelSelectionKind.Trials => TakeNamed(study, selection.TrialIds),
            _ => throw new ArgumentException($"model selection kind {selection.Kind} is unknown; use Best, BestK or Trials.", nameof(selection)),
        };
        return [.. trials.Select(trial => new DeployedModel(trial.Id, trial.Model, trial.Knobs, trial.BestCheckpointId!, input, classNames))];
    }

    private static List<TrialStatus> TakeBest(string studyId, List<TrialStatus> ranked, int count)
    {
        if (count < 1)
        {
            throw new ArgumentException($"best-k count {count} is invalid; deploy at least 1 trial.", nameof(count));
        }

        if (ranked.Count < count)
        {
            throw new ArgumentException(
                $"study {studyId} has {ranked.Count} trial(s) with a checkpoint but {count} were requested; "
                + "deploy fewer trials or wait until more have finished an epoch.",
                nameof(count));
        }

        return ranked.Take(count).ToList();
    }

    private static List<TrialStatus> TakeNamed(StudyStatus study, ImmutableArray<string> trialIds)
    {
        if (trialIds.IsDefaultOrEmpty)
        {
            throw new ArgumentException("no trial ids were given; name at least one trial of the study.", nameof(trialIds));
        }

        if (trialIds.Distinct(StringComparer.Ordinal).Count() != trialIds.Length)
        {
            throw new ArgumentException($"trial ids {string.Join(", ", trialIds)} repeat a trial; name each trial once.", nameof(trialIds));
        }

        var trials = new List<TrialStatus>();
        foreach (var trialId in trialIds)
        {
            var trial = study.Trials.FirstOrDefault(t => t.Id == trialId)
                        ?? throw new ArgumentException(
                            $"trial '{trialId}' is not in study {study.StudyId}; use one of {string.Join(", ", study.Trials.Select(t => t.Id))}.",
                            nameof(trialIds));
            if (trial.BestCheckpointId is null)
            {
                throw new ArgumentException(
                    $"trial '{trialId}' has no checkpoint yet; deploy it once it has finished an epoch.", nameof(trialIds));
            }

            trials.Add(trial);
        }

        return trials;
    }
}
