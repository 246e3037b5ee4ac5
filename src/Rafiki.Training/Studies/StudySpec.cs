using System.Collections.Immutable;
using System.Text.Json;
using Rafiki.Core;
using Rafiki.Models;
using Rafiki.Tuning;
using Rafiki.Tuning.Advisors;
using Rafiki.Tuning.CoStudy;
using Rafiki.Tuning.EarlyStopping;

namespace Rafiki.Training.Studies;

/// <summary>How much a study may spend.</summary>
/// <param name="MaxTrials">Trials to run in all, finished or not.</param>
/// <param name="MaxEpochs">Epochs per trial, unless early stopping prunes it first.</param>
/// <param name="DeviceSlots">Most trials that run at the same time.</param>
/// <param name="TimeLimit">Wall-clock time from the study's creation after which no trial starts; null for none.</param>
/// <param name="QueuedTrials">
/// Trials started beyond <paramref name="DeviceSlots"/> that wait on a worker for a slot, so a slot that frees takes
/// its next trial at once instead of waiting for the master to record the end and start a new trial (Ray Tune calls
/// these pending trials). The advisor counts them as running trials, and a queued trial's recorded start is when it
/// was queued. 0, the default, starts a trial only when a slot is free.
/// </param>
public sealed record StudyBudget(
    int MaxTrials, int MaxEpochs, int DeviceSlots = 1, TimeSpan? TimeLimit = null, int QueuedTrials = 0);

/// <summary>What a train job asks for: data, models, budget and tuning strategy.</summary>
/// <param name="Name">Name shown in listings; not unique.</param>
/// <param name="Task">Task to solve; model families must match it.</param>
/// <param name="TrainDatasetId">Dataset to train on.</param>
/// <param name="ValidationDatasetId">Dataset to score trials on.</param>
/// <param name="ModelFamilies">Families to tune; trials take them in turn.</param>
/// <param name="Budget">Trials, epochs, parallel slots and time.</param>
/// <param name="Advisor">Advisor name, see <see cref="AdvisorNames"/>.</param>
/// <param name="EarlyStopping">Early-stopping rule name, see <see cref="EarlyStoppingRules"/>.</param>
/// <param name="Seed">Seed for knob proposals and model initialisation.</param>
/// <param name="MaxTrialRetries">Times a trial that throws is run again, from its last checkpoint, before it is marked failed.</param>
/// <param name="CoStudy">Collaborative tuning: warm starts from the family's best checkpoints; null means off.</param>
/// <param name="KnobNarrowings">
/// Per model family, a JSON object that narrows the family's declared knob space, such as
/// <c>{"small-cnn": {"adam_learning_rate": {"low": 0.001}, "optimizer": ["adam"]}}</c>; null keeps every space as declared.
/// </param>
/// <param name="EarlyStoppingOptions">Settings of the early-stopping rule (warm-up, rungs, reduction factor); null for defaults.</param>
public sealed record StudySpec(
    string Name,
    TaskType Task,
    string TrainDatasetId,
    string ValidationDatasetId,
    ImmutableArray<string> ModelFamilies,
    StudyBudget Budget,
    string Advisor = AdvisorNames.Default,
    string EarlyStopping = EarlyStoppingRules.None,
    int Seed = 0,
    int MaxTrialRetries = 1,
    CoStudySettings? CoStudy = null,
    IReadOnlyDictionary<string, JsonElement>? KnobNarrowings = null,
    EarlyStoppingOptions? EarlyStoppingOptions = null)
{
    /// <summary>The CoStudy settings in effect: <see cref="CoStudySettings.Off"/> when none are given.</summary>
    public CoStudySettings EffectiveCoStudy => CoStudy ?? CoStudySettings.Off;

    /// <summary>Returns the knob space trials of <paramref name="family"/> draw from: declared, then narrowed by the spec.</summary>
    /// <exception cref="KnobSpaceException">The narrowing is invalid; <see cref="Validate"/> reports it first.</exception>
    public KnobSpace SpaceFor(string family)
    {
        var declared = ModelZoo.Get(family).KnobSpace;
        return KnobNarrowings is not null && KnobNarrowings.TryGetValue(family, out var narrowing) ? declared.Narrow(narrowing) : declared;
    }

    /// <summary>Returns the early-stopping rule of the spec with its options.</summary>
    public IEarlyStoppingRule CreateEarlyStoppingRule() => EarlyStoppingRules.Create(EarlyStopping, EarlyStoppingOptions);

    /// <summary>Returns every problem with the spec, each naming the field, the value and the fix; empty if valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("name: empty; give the study a name.");
        }

        if (string.IsNullOrWhiteSpace(TrainDatasetId))
        {
            problems.Add("trainDatasetId: empty; upload a dataset and pass its id.");
        }

        if (string.IsNullOrWhiteSpace(ValidationDatasetId))
        {
            problems.Add("validationDatasetId: empty; upload a validation dataset and pass its id.");
        }

        if (ModelFamilies.IsDefaultOrEmpty)
        {
            problems.Add($"modelFamilies: empty; name at least one of {string.Join(", ", ModelZoo.ForTask(Task).Select(f => f.Name))}.");
        }
        else
        {
            foreach (var name in ModelFamilies)
            {
                var family = ModelZoo.Families.FirstOrDefault(f => f.Name == name);
                if (family is null)
                {
                    problems.Add($"modelFamilies: '{name}' is unknown; use one of {string.Join(", ", ModelZoo.Families.Select(f => f.Name))}.");
                }
                else if (family.Task != Task)
                {
                    problems.Add($"modelFamilies: '{name}' solves {family.Task}, not {Task}; pick a family for {Task}.");
                }
            }
        }

        if (Budget.MaxTrials < 1)
        {
            problems.Add($"budget.maxTrials: {Budget.MaxTrials} is invalid; use 1 or more.");
        }

        if (Budget.MaxEpochs < 1)
        {
            problems.Add($"budget.maxEpochs: {Budget.MaxEpochs} is invalid; use 1 or more.");
        }

        if (Budget.DeviceSlots < 1)
        {
            problems.Add($"budget.deviceSlots: {Budget.DeviceSlots} is invalid; use 1 or more.");
        }

        if (Budget.QueuedTrials is < 0 or > 64)
        {
            problems.Add($"budget.queuedTrials: {Budget.QueuedTrials} is invalid; use 0 to 64.");
        }

        if (Budget.TimeLimit is { } limit && limit <= TimeSpan.Zero)
        {
            problems.Add($"budget.timeLimit: {limit} is invalid; use a positive duration or leave it out.");
        }

        if (MaxTrialRetries is < 0 or > 10)
        {
            problems.Add($"maxTrialRetries: {MaxTrialRetries} is invalid; use 0 to 10.");
        }

        if (CoStudy is not null)
        {
            problems.AddRange(CoStudy.Validate());
        }

        foreach (var family in (KnobNarrowings?.Keys ?? []).Where(family => !ModelFamilies.IsDefault && !ModelFamilies.Contains(family)))
        {
            problems.Add($"knobs: '{family}' is not one of the study's model families ({string.Join(", ", ModelFamilies)}); remove it or add the family.");
        }

        foreach (var family in ModelFamilies.IsDefault ? [] : ModelFamilies.Where(f => ModelZoo.Families.Any(known => known.Name == f)))
        {
            try
            {
                SpaceFor(family);
            }
            catch (KnobSpaceException e)
            {
                problems.Add($"knobs.{family}: {e.Message}");
            }
        }

        try
        {
            EarlyStoppingOptions?.Validate();
        }
        catch (ArgumentException e)
        {
            problems.Add($"earlyStoppingOptions: {e.Message}");
        }

        if (!AdvisorNames.All.Contains(Advisor))
        {
            problems.Add($"advisor: '{Advisor}' is unknown; use one of {string.Join(", ", AdvisorNames.All)}.");
        }

        if (!EarlyStoppingRules.All.Contains(EarlyStopping))
        {
            problems.Add($"earlyStopping: '{EarlyStopping}' is unknown; use one of {string.Join(", ", EarlyStoppingRules.All)}.");
        }

        return problems;
    }
}
