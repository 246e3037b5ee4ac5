using Rafiki.Tuning;
using Rafiki.Tuning.Advisors;
using Rafiki.Tuning.CoStudy;
using Rafiki.Tuning.EarlyStopping;
using static Rafiki.Training.Studies.StudyEvents;

namespace Rafiki.Training.Studies;

/// <summary>
/// The state of one study, built only by applying study events, plus the decisions that follow from it
/// (which trial to start next, what the advisor sees). Pure: no actors, no clocks, no I/O.
/// </summary>
public sealed class Study
{
    private readonly List<Trial> _trials = [];

    public Study(StudyCreated created)
    {
        StudyId = created.StudyId;
        Spec = created.Spec;
        CreatedAt = created.CreatedAt;
    }

    public string StudyId { get; }

    public StudySpec Spec { get; }

    public DateTimeOffset CreatedAt { get; }

    public StudyState State { get; private set; } = StudyState.Running;

    public DateTimeOffset? EndedAt { get; private set; }

    public IReadOnlyList<Trial> Trials => _trials;

    /// <summary>Trials sent to workers that have not ended.</summary>
    public IEnumerable<Trial> Running => _trials.Where(trial => trial.State == TrialState.Running);

    /// <summary>Returns the trial with the given id, or null.</summary>
    public Trial? Find(string trialId) => _trials.FirstOrDefault(trial => trial.Id == trialId);

    /// <summary>Updates the state with one event; events arrive in the order they were persisted.</summary>
    public void Apply(IStudyEvent @event)
    {
        switch (@event)
        {
            case TrialStarted started:
                _trials.Add(new Trial(started));
                break;
            case EpochRecorded recorded:
                Find(recorded.TrialId)?.Record(recorded.Report);
                break;
            case TrialRetried retried:
                Find(retried.TrialId)?.Retry(retried.Attempt, retried.Reason);
                break;
            case TrialEnded ended:
                Find(ended.TrialId)?.End(ended.State, ended.Reason);
                break;
            case StudyEnded ended:
                State = ended.State;
                EndedAt = ended.EndedAt;
                break;
        }
    }

    /// <summary>Whether another trial may start now: running, trials left, a slot free, time left.</summary>
    public bool CanStartTrial(DateTimeOffset now) =>
        State == StudyState.Running
        && _trials.Count < Spec.Budget.MaxTrials
        && Running.Count() < Spec.Budget.DeviceSlots + Spec.Budget.QueuedTrials
        && !IsOutOfTime(now);

    /// <summary>Whether the study's time limit has passed.</summary>
    /// <remarks>
    /// NOTE: the limit counts wall-clock time since creation, including time the cluster was down, so a study resumed
    /// long after a crash starts no new trials.
    /// </remarks>
    public bool IsOutOfTime(DateTimeOffset now) => Spec.Budget.TimeLimit is { } limit && now - CreatedAt >= limit;

    /// <summary>Whether every trial the budget allows has ended (or no more may start) and none is running.</summary>
    public bool IsFinished(DateTimeOffset now) =>
        !Running.Any() && (_trials.Count >= Spec.Budget.MaxTrials || IsOutOfTime(now));

    /// <summary>Returns the id of trial <paramref name="number"/> (1-based): deterministic, so a retried start is idempotent.</summary>
    public string TrialIdFor(int number) => $"{StudyId}-t{number:D3}";

    /// <summary>Returns the family the next trial tunes: the spec's families in turn.</summary>
    public string NextFamily() => Spec.ModelFamilies[_trials.Count % Spec.ModelFamilies.Length];

    /// <summary>Returns what the advisor may see for a family: finished trials with their best score, and pending knobs.</summary>
    public AdvisorContext AdvisorContextFor(string family, KnobSpace space)
    {
        var ofFamily = _trials.Where(trial => trial.Family == family).ToList();
        var observations = ofFamily
            .Where(trial => trial.State != TrialState.Running && trial.History.Count > 0)
            .Select(trial => new Observation(trial.Knobs, trial.BestValAccuracy))
            .ToList();
        var pending = ofFamily.Where(trial => trial.State == TrialState.Running).Select(trial => trial.Knobs).ToList();
        return new AdvisorContext(space, observations, pending, Spec.Seed, _trials.Count);
    }

    /// <summary>Share of the budget used: trials started over the maximum, or time used over the limit, whichever is larger.</summary>
    public double Progress(DateTimeOffset now)
    {
        var byTrials = (double)_trials.Count / Spec.Budget.MaxTrials;
        var byTime = Spec.Budget.TimeLimit is { } limit ? (now - CreatedAt) / limit : 0;
        return Math.Clamp(Math.Max(byTrials, byTime), 0, 1);
    }

    /// <summary>Returns the finished trials with a checkpoint, as CoStudy warm-start candidates.</summary>
    public IEnumerable<WarmStartCandidate> WarmStartCandidates() =>
        _trials.Where(trial => trial.State != TrialState.Running && trial.BestCheckpointId is not null)
            .Select(trial => new WarmStartCandidate(trial.Id, trial.Family, trial.BestCheckpointId!, trial.BestValAccuracy));

    /// <summary>Returns every trial's validation curve for the early-stopping rule.</summary>
    public IReadOnlyList<TrialCurve> Curves() =>
        _trials.Select(trial => new TrialCurve(
            trial.Id,
            trial.History.Select(report => report.ValidationAccuracy).ToList(),
            trial.State != TrialState.Running)).ToList();

    /// <summary>Returns the client view; live progress comes from <paramref name="progress"/>.</summary>
    public StudyStatus ToStatus(IReadOnlyDictionary<string, TrialProgress> progress) => new(
        StudyId,
        Spec.Name,
        State,
        Spec,
        CreatedAt,
        EndedAt,
        [.. _trials.Select(trial => trial.ToStatus(progress.GetValueOrDefault(trial.Id)))]);
}

/// <summary>Live progress of a running trial: epoch in progress, fraction done, and the worker node it runs on.</summary>
public sealed record TrialProgress(int Epoch, double Fraction, string? Worker);

/// <summary>One trial inside <see cref="Study"/>.</summary>
public sealed class Trial
{
    private readonly List<EpochReport> _history = [];

    public Trial(TrialStarted started)
    {
        Id = started.TrialId;
        Number = started.Number;
        Family = started.Family;
        Knobs = started.Knobs;
        Seed = started.Seed;
        WarmStartFrom = started.WarmStartFrom;
    }

    public string Id { get; }

    public int Number { get; }

    public string Family { get; }

    public Knobs Knobs { get; }

    public int Seed { get; }

    /// <summary>The checkpoint this trial started from under CoStudy; null for random initial weights.</summary>
    public WarmStart? WarmStartFrom { get; }

    public TrialState State { get; private set; } = TrialState.Running;

    public string? Reason { get; private set; }

    /// <summary>1 for the first run, then one more per retry after a failure.</summary>
    public int Attempt { get; private set; } = 1;

    public IReadOnlyList<EpochReport> History => _history;

    /// <summary>Last recorded epoch, 0 before the first.</summary>
    public int LastEpoch => _history.Count == 0 ? 0 : _history[^1].Epoch;

    /// <summary>Best validation accuracy so far, 0 before the first epoch.</summary>
    public double BestValAccuracy => _history.Count == 0 ? 0 : _history.Max(report => report.ValidationAccuracy);

    /// <summary>Checkpoint of the epoch with the best validation accuracy (the earliest on ties).</summary>
    public string? BestCheckpointId => _history.Count == 0
        ? null
        : _history.OrderByDescending(report => report.ValidationAccuracy).ThenBy(report => report.Epoch).First().CheckpointId;

    /// <summary>Checkpoint of the last recorded epoch, to resume from.</summary>
    public string? LastCheckpointId => _history.Count == 0 ? null : _history[^1].CheckpointId;

    internal void Record(EpochReport report) => _history.Add(report);

    internal void Retry(int attempt, string reason)
    {
        Attempt = attempt;
        Reason = reason;
    }

    internal void End(TrialState state, string? reason)
    {
        State = state;
        Reason = reason;
    }

    internal TrialStatus ToStatus(TrialProgress? live) => new(
        Id,
        Number,
        Family,
        Knobs,
        State,
        LastEpoch,
        BestValAccuracy,
        BestCheckpointId,
        [.. _history],
        State == TrialState.Running ? live?.Epoch ?? 0 : 0,
        State == TrialState.Running ? live?.Fraction ?? 0 : 0,
        Reason,
        Attempt,
        State == TrialState.Running ? live?.Worker : null,
        WarmStartFrom,
        _history.Count > 0 ? _history[0].WarmStartLoad : null);
}
