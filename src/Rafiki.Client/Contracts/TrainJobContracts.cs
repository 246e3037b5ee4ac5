using System.Text.Json;

namespace Rafiki.Client.Contracts;

/// <summary>How much a train job may spend.</summary>
/// <param name="MaxTrials">Trials to run, 1 or more.</param>
/// <param name="MaxEpochs">Epochs per trial, 1 or more.</param>
/// <param name="DeviceSlots">Trials that train at once; 1 when null.</param>
/// <param name="TimeLimitSeconds">Seconds after which no trial starts; null for no limit.</param>
/// <param name="QueuedTrials">
/// Trials started beyond <paramref name="DeviceSlots"/> that wait on a worker for a slot, so a freed slot takes its
/// next trial at once; 0 when null.
/// </param>
public sealed record TrainJobBudget(
    int? MaxTrials, int? MaxEpochs, int? DeviceSlots = null, double? TimeLimitSeconds = null, int? QueuedTrials = null);

/// <summary>Body of <c>POST /train-jobs</c>.</summary>
/// <param name="Name">Name shown in listings.</param>
/// <param name="Task">Task to solve, such as <c>image-classification</c>.</param>
/// <param name="TrainDatasetId">Id of one of the caller's datasets to train on.</param>
/// <param name="ValidationDatasetId">Id of one of the caller's datasets to score trials on.</param>
/// <param name="Models">Model family names; every family for the task when null.</param>
/// <param name="Budget">Trials, epochs, parallel slots and time.</param>
/// <param name="Advisor">Knob advisor name (<c>random</c>, <c>grid</c>, <c>gp</c>, <c>tpe</c>); the node's default when null.</param>
/// <param name="EarlyStopping">Early-stopping rule name; <c>none</c> when null.</param>
/// <param name="Seed">Seed for knob proposals and model initialisation; 0 when null.</param>
/// <param name="Costudy">
/// Whether new trials may warm-start from the best checkpoints of earlier trials of their family (CoStudy, with the
/// default settings); on when null.
/// </param>
/// <param name="Knobs">
/// Per model family, a JSON object that narrows the family's knob space, such as
/// <c>{"small-cnn": {"adam_learning_rate": {"low": 0.001}, "optimizer": ["adam"]}}</c>; null keeps every space.
/// </param>
public sealed record CreateTrainJobRequest(
    string? Name,
    string? Task,
    string? TrainDatasetId,
    string? ValidationDatasetId,
    IReadOnlyList<string>? Models,
    TrainJobBudget? Budget,
    string? Advisor = null,
    string? EarlyStopping = null,
    int? Seed = null,
    bool? Costudy = null,
    IReadOnlyDictionary<string, JsonElement>? Knobs = null);

/// <summary>One finished epoch of a trial.</summary>
public sealed record EpochView(
    int Epoch, double TrainLoss, double TrainAccuracy, double ValidationAccuracy, double ValidationLoss, double DurationSeconds);

/// <summary>A trial of a train job.</summary>
/// <param name="Id">Trial id; pass it to <c>POST /inference-jobs</c> to deploy this trial.</param>
/// <param name="Number">1-based position in the job.</param>
/// <param name="Model">Model family name.</param>
/// <param name="Knobs">Knob values by name: numbers, strings or booleans.</param>
/// <param name="State">running, completed, pruned, failed or stopped.</param>
/// <param name="Epochs">Epochs finished.</param>
/// <param name="ValidationAccuracy">Best validation accuracy over the finished epochs; 0 before the first.</param>
/// <param name="Deployable">Whether the trial has a checkpoint, so an inference job can serve it.</param>
/// <param name="History">Metrics of every finished epoch, in order.</param>
/// <param name="Reason">Why the trial failed or stopped; null otherwise.</param>
/// <param name="WarmStartFrom">Under CoStudy, the id of the earlier trial whose checkpoint this trial started from; null otherwise.</param>
public sealed record TrialView(
    string Id,
    int Number,
    string Model,
    IReadOnlyDictionary<string, JsonElement> Knobs,
    string State,
    int Epochs,
    double ValidationAccuracy,
    bool Deployable,
    IReadOnlyList<EpochView> History,
    string? Reason,
    string? WarmStartFrom = null);

/// <summary>A train job with its trials; <see cref="Knobs"/> repeats the knob-space narrowing of the request.</summary>
public sealed record TrainJobView(
    string Id,
    string Name,
    string Task,
    string State,
    string TrainDatasetId,
    string ValidationDatasetId,
    IReadOnlyList<string> Models,
    TrainJobBudget Budget,
    string Advisor,
    string EarlyStopping,
    bool Costudy,
    string Owner,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<TrialView> Trials,
    TrialView? BestTrial,
    IReadOnlyDictionary<string, JsonElement>? Knobs = null);

/// <summary>One line of <c>GET /train-jobs</c>.</summary>
public sealed record TrainJobSummary(string Id, string Name, string State, string Owner, DateTimeOffset CreatedAt);
