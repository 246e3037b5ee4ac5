using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Rafiki.Core;
using Rafiki.Training.Trials;
using Rafiki.Tuning;
using Rafiki.Tuning.Advisors;
using Rafiki.Tuning.CoStudy;
using Rafiki.Tuning.EarlyStopping;
using static Rafiki.Training.Studies.StudyEvents;
using static Rafiki.Training.Studies.StudyProtocol;
using static Rafiki.Training.Trials.TrialProtocol;

namespace Rafiki.Training.Studies;

/// <summary>
/// Runs one study as a persistent sharded entity: asks the advisor for knobs, starts trials within the budget,
/// records each epoch once, applies early stopping, and ends the study when the budget is used. Every event is
/// persisted before it is acted on, so a master restarted on any node recovers the study and re-sends its
/// unfinished trials, which resume from their last checkpoint.
/// </summary>
public sealed class StudyMasterActor : ReceivePersistentActor, IWithTimers
{
    /// <summary>How often running trials get their <see cref="RunTrial"/> again, in case a worker lost it.</summary>
    public static readonly TimeSpan RedispatchInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Delay between a node leaving the cluster and re-sending the running trials, which gives the trial shard
    /// coordinator time to drop the dead node's shards so the trials land on a live worker.
    /// </summary>
    public static readonly TimeSpan RedispatchAfterNodeLoss = TimeSpan.FromSeconds(1);

    /// <summary>Index that separates the CoStudy random stream from the knob and trial-seed streams of the same seed.</summary>
    private const int CoStudyStream = 7919;

    private readonly string _studyId;
    private readonly IActorRef _trials;
    private readonly IActorRef _registry;
    private readonly Dictionary<string, TrialProgress> _progress = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Study? _study;

    public StudyMasterActor(string studyId, IActorRef trials, IActorRef registry)
    {
        _studyId = studyId;
        _trials = trials;
        _registry = registry;

        Recover<StudyCreated>(created => _study = new Study(created));
        Recover<IStudyEvent>(@event => _study?.Apply(@event));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<CreateStudy>(Create);
        Command<GetStudy>(_ => Sender.Tell(_study is null ? new StudyNotFound(_studyId) : Status()));
        Command<ResumeStudy>(_ => Resume());
        Command<StopStudy>(_ => Stop());
        Command<ReportEpoch>(RecordEpoch);
        Command<ReportProgress>(progress => _progress[progress.TrialId] = new TrialProgress(progress.Epoch, progress.Fraction, progress.Worker));
        Command<ReportTrialFailure>(RecordFailure);
        Command<Dispatch>(_ => DispatchNextTrial());
        Command<Redispatch>(_ => SendRunningTrials());
        Command<ClusterEvent.MemberRemoved>(removed =>
        {
            if (_study is { State: StudyState.Running } && _study.Running.Any())
            {
                _log.Info("Node {Address} left the cluster; re-sending the running trials of study {StudyId}", removed.Member.Address, _studyId);
                Timers.StartSingleTimer("after-node-loss", Redispatch.Instance, RedispatchAfterNodeLoss);
            }
        });
        Command<ClusterEvent.CurrentClusterState>(_ => { });
    }

    protected override void PreStart()
    {
        base.PreStart();
        if (Context.System.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal))
        {
            Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberRemoved));
        }
    }

    protected override void PostStop()
    {
        if (Context.System.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal))
        {
            Cluster.Get(Context.System).Unsubscribe(Self);
        }

        base.PostStop();
    }

    public override string PersistenceId => $"studies/{_studyId}";

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the entity <paramref name="studyId"/>; <paramref name="trials"/> routes to trial actors.</summary>
    public static Props Props(string studyId, IActorRef trials, IActorRef registry) =>
        Akka.Actor.Props.Create(() => new StudyMasterActor(studyId, trials, registry));

    private StudyStatus Status() => _study!.ToStatus(_progress);

    // Records compare ImmutableArray fields by reference, so compare the persisted form instead.
    private static bool SameSpec(StudySpec a, StudySpec b) =>
        JsonSerializer.Serialize(a, RafikiJson.Options) == JsonSerializer.Serialize(b, RafikiJson.Options);

    private void OnRecovered()
    {
        if (_study is { State: StudyState.Running })
        {
            _log.Info("Study {StudyId} recovered with {Trials} trials, {Running} running",
                _studyId, _study.Trials.Count, _study.Running.Count());
            Resume();
        }
    }

    private void Create(CreateStudy create)
    {
        if (_study is not null)
        {
            Sender.Tell(SameSpec(_study.Spec, create.Spec)
                ? new StudyAccepted(_studyId)
                : new StudyRejected(_studyId, [$"study id '{_studyId}' is taken by another study; use a new id."]));
            Resume();
            return;
        }

        var problems = create.Spec.Validate();
        if (problems.Count > 0)
        {
            Sender.Tell(new StudyRejected(_studyId, problems));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }

        var sender = Sender;
        Persist(new StudyCreated(_studyId, create.Spec, DateTimeOffset.UtcNow), created =>
        {
            _study = new Study(created);
            _log.Info("Study {StudyId} ({Name}) created: {Families}, {MaxTrials} trials of up to {MaxEpochs} epochs",
                _studyId, created.Spec.Name, string.Join(", ", created.Spec.ModelFamilies), created.Spec.Budget.MaxTrials,
                created.Spec.Budget.MaxEpochs);
            sender.Tell(new StudyAccepted(_studyId));
            Resume();
        });
    }

    private void Resume()
    {
        if (_study is not { State: StudyState.Running })
        {
            return;
        }

        SendRunningTrials();
        Timers.StartPeriodicTimer(nameof(Redispatch), Redispatch.Instance, RedispatchInterval);
        Self.Tell(Dispatch.Instance);
    }

    private void SendRunningTrials()
    {
        foreach (var trial in _study!.Running)
        {
            _trials.Tell(RunTrialFor(trial));
        }
    }

    private RunTrial RunTrialFor(Trial trial)
    {
        var spec = _study!.Spec;
        var assignment = new TrialAssignment(
            trial.Family, trial.Knobs, trial.Seed, spec.Budget.MaxEpochs, spec.TrainDatasetId, spec.ValidationDatasetId,
            trial.WarmStartFrom?.CheckpointId);
        var resume = trial.LastCheckpointId is { } checkpoint ? new ResumePoint(trial.LastEpoch, checkpoint) : null;
        return new RunTrial(trial.Id, _studyId, trial.Attempt, assignment, resume);
    }

    private void DispatchNextTrial()
    {
        var study = _study!;
        var now = DateTimeOffset.UtcNow;
        if (study.State != StudyState.Running)
        {
            return;
        }

        if (study.IsFinished(now))
        {
            EndStudy(StudyState.Completed);
            return;
        }

        if (!study.CanStartTrial(now))
        {
            return;
        }

        var family = study.NextFamily();
        var space = study.Spec.SpaceFor(family);
        var knobs = AdvisorNames.Create(study.Spec.Advisor).Propose(study.AdvisorContextFor(family, space));
        var number = study.Trials.Count + 1;
        var coStudyRandom = new Random(Seeds.Derive(Seeds.Derive(study.Spec.Seed, CoStudyStream), number));
        var warmStart = WarmStartPolicy.Choose(
            study.Spec.EffectiveCoStudy, study.WarmStartCandidates(), family, study.Progress(now), coStudyRandom);
        if (warmStart is not null)
        {
            knobs = WithArchitectureOf(study.Find(warmStart.TrialId)!.Knobs, knobs, space);
        }

        var started = new TrialStarted(
            study.TrialIdFor(number), number, family, knobs, Seeds.Derive(study.Spec.Seed, number), now,
            warmStart is null ? null : new WarmStart(warmStart.TrialId, warmStart.CheckpointId, warmStart.Score));
        Persist(started, persisted =>
        {
            study.Apply(persisted);
            _log.Info("Study {StudyId} starts trial {TrialId}: {Family} with {Knobs}{WarmStart}", _studyId, persisted.TrialId, family,
                knobs.ToString(), persisted.WarmStartFrom is { } from ? $", warm-started from {from.TrialId}" : "");
            _trials.Tell(RunTrialFor(study.Find(persisted.TrialId)!));
            Self.Tell(Dispatch.Instance);
        });
    }

    // A warm-started trial keeps the advisor's training knobs but takes the architecture of its checkpoint.
    private static Knobs WithArchitectureOf(Knobs source, Knobs proposal, KnobSpace space)
    {
        foreach (var knob in space.Knobs.Where(knob => knob.Architecture && source.ContainsKey(knob.Name)))
        {
            proposal = proposal.With(knob.Name, source[knob.Name]);
        }

        return proposal;
    }

    private void RecordEpoch(ReportEpoch report)
    {
        var trial = _study?.Find(report.TrialId);
        if (trial is null)
        {
            _log.Warning("Study {StudyId} got an epoch report for unknown trial {TrialId}; ignored", _studyId, report.TrialId);
            return;
        }

        var epoch = report.Report.Epoch;
        if (trial.State != TrialState.Running)
        {
            Sender.Tell(new TrialDecision(trial.Id, epoch, Continue: false, $"trial already {trial.State.ToString().ToLowerInvariant()}"));
            return;
        }

        if (epoch <= trial.LastEpoch)
        {
            // A resent report whose first copy was recorded: answer again without recording twice.
            Sender.Tell(new TrialDecision(trial.Id, epoch, Continue: true, "already recorded"));
            return;
        }

        // Decide first, so a final epoch and the trial's end are written in one batch.
        var (state, reason) = Decide(trial, report.Report);
        var events = new List<IStudyEvent> { new EpochRecorded(trial.Id, report.Report) };
        if (state is { } final)
        {
            events.Add(new TrialEnded(trial.Id, final, reason, DateTimeOffset.UtcNow));
        }

        var sender = Sender;
        PersistAll(events, persisted =>
        {
            _study!.Apply(persisted);
            if (persisted is TrialEnded)
            {
                OnTrialEnded(trial, state!.Value, reason);
            }
            else if (_progress.TryGetValue(trial.Id, out var live))
            {
                _progress[trial.Id] = live with { Fraction = 0 };
            }
        });
        DeferAsync(epoch, _ => sender.Tell(new TrialDecision(trial.Id, epoch, Continue: state is null, state is null ? "continue" : reason)));
    }

    private (TrialState? State, string Reason) Decide(Trial trial, EpochReport report)
    {
        var study = _study!;
        var epoch = report.Epoch;
        if (epoch >= study.Spec.Budget.MaxEpochs)
        {
            return (TrialState.Completed, $"completed {epoch} epochs");
        }

        if (study.IsOutOfTime(DateTimeOffset.UtcNow))
        {
            return (TrialState.Stopped, "study time limit reached");
        }

        // The curves as they will be once this epoch is recorded.
        var curves = study.Curves()
            .Select(curve => curve.TrialId == trial.Id ? curve with { Scores = [.. curve.Scores, report.ValidationAccuracy] } : curve)
            .ToList();
        var decision = study.Spec.CreateEarlyStoppingRule().Decide(curves.First(c => c.TrialId == trial.Id), curves);
        return decision == EarlyStoppingDecision.Prune
            ? (TrialState.Pruned, $"pruned by {study.Spec.EarlyStopping} after epoch {epoch}")
            : (null, "");
    }

    private void RecordFailure(ReportTrialFailure failure)
    {
        var trial = _study?.Find(failure.TrialId);
        if (trial is null || trial.State != TrialState.Running || failure.Attempt != trial.Attempt)
        {
            // Unknown, ended, or a resent report of an attempt already handled.
            Sender.Tell(new TrialFailureRecorded(failure.TrialId));
            return;
        }

        var sender = Sender;
        if (trial.Attempt <= _study!.Spec.MaxTrialRetries)
        {
            Persist(new TrialRetried(trial.Id, trial.Attempt + 1, failure.Error, DateTimeOffset.UtcNow), retried =>
            {
                _study.Apply(retried);
                _log.Warning("Trial {TrialId} failed ({Reason}); running it again from its last checkpoint, attempt {Attempt} of {Attempts}",
                    trial.Id, failure.Error, retried.Attempt, _study.Spec.MaxTrialRetries + 1);
                sender.Tell(new TrialFailureRecorded(failure.TrialId));
                _trials.Tell(RunTrialFor(trial));
            });
            return;
        }

        EndTrial(trial, TrialState.Failed, failure.Error, () => sender.Tell(new TrialFailureRecorded(failure.TrialId)));
    }

    private void EndTrial(Trial trial, TrialState state, string reason, Action afterPersist)
    {
        Persist(new TrialEnded(trial.Id, state, reason, DateTimeOffset.UtcNow), ended =>
        {
            _study!.Apply(ended);
            OnTrialEnded(trial, state, reason);
            afterPersist();
        });
    }

    private void OnTrialEnded(Trial trial, TrialState state, string reason)
    {
        _progress.Remove(trial.Id);
        _log.Info("Trial {TrialId} {State}: {Reason}; best validation accuracy {Accuracy:F4}",
            trial.Id, state.ToString().ToLowerInvariant(), reason, trial.BestValAccuracy);
        Self.Tell(Dispatch.Instance);
    }

    private void Stop()
    {
        var study = _study;
        if (study is null)
        {
            Sender.Tell(new StudyNotFound(_studyId));
            return;
        }

        var running = study.Running.ToList();
        var now = DateTimeOffset.UtcNow;
        var events = running.Select(trial => (IStudyEvent)new TrialEnded(trial.Id, TrialState.Stopped, "study stopped", now));
        if (study.State == StudyState.Running)
        {
            events = events.Append(new StudyEnded(StudyState.Stopped, now));
        }

        var sender = Sender;
        PersistAll(events.ToList(), @event =>
        {
            study.Apply(@event);
            if (@event is TrialEnded ended)
            {
                _trials.Tell(new StopTrial(ended.TrialId, "study stopped"));
            }
            else
            {
                OnEnded();
            }
        });
        DeferAsync(Dispatch.Instance, _ => sender.Tell(Status()));
    }

    private void EndStudy(StudyState state)
    {
        Persist(new StudyEnded(state, DateTimeOffset.UtcNow), ended =>
        {
            _study!.Apply(ended);
            OnEnded();
        });
    }

    private void OnEnded()
    {
        Timers.Cancel(nameof(Redispatch));
        var best = Status().Best;
        _log.Info("Study {StudyId} {State}; best trial {TrialId} with validation accuracy {Accuracy:F4}",
            _studyId, _study!.State.ToString().ToLowerInvariant(), best?.Id ?? "none", best?.ValAccuracy ?? 0);
        _registry.Tell(new StudyRegistryProtocol.StudyFinished(_studyId, _study.State));
    }

    private sealed record Dispatch
    {
        public static Dispatch Instance { get; } = new();
    }

    private sealed record Redispatch
    {
        public static Redispatch Instance { get; } = new();
    }
}
