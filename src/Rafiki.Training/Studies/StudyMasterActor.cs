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
/// <remarks>
/// Epoch reports are recorded in batches: the reports waiting in the mailbox, the trial ends they decide and the
/// trials that take the freed slots go to the journal in one write (see <see cref="StudyBatch"/>), because one
/// write per report and one per start kept the master waiting on the journal when many trials end together.
/// </remarks>
public sealed class StudyMasterActor : ReceivePersistentActor, IWithTimers
{
    /// <summary>How often running trials get their <see cref="RunTrial"/> again, in case a worker lost it.</summary>
    public static readonly TimeSpan RedispatchInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Time between re-sends of the trials that ran on a node that left the cluster. A copy sent before sharding has
    /// dropped the node's shards still goes to the dead node. The same happens before the trial shard coordinator
    /// has started elsewhere, when the dead node hosted it. So the master sends again until a copy reaches a live
    /// worker.
    /// </summary>
    public static readonly TimeSpan NodeLossResendInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Number of re-sends after a node loss, the first one immediately; the periodic redispatch follows.</summary>
    public const int NodeLossResends = 8;

    /// <summary>Index that separates the CoStudy random stream from the knob and trial-seed streams of the same seed.</summary>
    private const int CoStudyStream = 7919;

    private readonly string _studyId;
    private readonly IActorRef _trials;
    private readonly IActorRef _registry;
    private readonly Dictionary<string, TrialProgress> _progress = new(StringComparer.Ordinal);
    private readonly List<(ReportEpoch Report, IActorRef Sender)> _reports = [];
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
        Command<ReportEpoch>(BufferReport);
        Command<RecordReports>(_ => RecordBufferedReports());
        Command<ReportProgress>(progress => _progress[progress.TrialId] = new TrialProgress(progress.Epoch, progress.Fraction, progress.Worker));
        Command<ReportTrialFailure>(RecordFailure);
        Command<Dispatch>(_ => DispatchNextTrial());
        Command<Redispatch>(_ => SendRunningTrials());
        Command<ClusterEvent.MemberRemoved>(removed => OnNodeRemoved(removed.Member.Address.ToString()));
        Command<ResendAfterNodeLoss>(ResendTrialsOf);
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

    private void OnNodeRemoved(string node)
    {
        if (_study is { State: StudyState.Running } && _study.Running.Any(trial => MayRunOn(trial, node)))
        {
            _log.Info("Node {Address} left the cluster; re-sending its trials of study {StudyId}", node, _studyId);
            ResendTrialsOf(new ResendAfterNodeLoss(node, NodeLossResends));
        }
    }

    // RunTrial is idempotent, so a copy that reaches a trial already running again on a live worker changes nothing.
    private void ResendTrialsOf(ResendAfterNodeLoss resend)
    {
        if (_study is not { State: StudyState.Running })
        {
            return;
        }

        foreach (var trial in _study.Running.Where(trial => MayRunOn(trial, resend.Node)))
        {
            _trials.Tell(RunTrialFor(trial));
        }

        if (resend.Left > 1)
        {
            var next = resend with { Left = resend.Left - 1 };
            Timers.StartSingleTimer($"after-node-loss {resend.Node}", next, NodeLossResendInterval);
        }
    }

    // A trial whose worker the master has not heard of yet may run on any node.
    private bool MayRunOn(Trial trial, string node) =>
        !_progress.TryGetValue(trial.Id, out var live) || live.Worker is null || live.Worker == node;

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
        var batch = new StudyBatch(_study!);
        StartTrials(batch, DateTimeOffset.UtcNow);
        Write(batch);
    }

    // Adds a start for every free slot the budget allows, or the study's end once every trial has ended.
    private void StartTrials(StudyBatch batch, DateTimeOffset now)
    {
        var study = _study!;
        if (study.State != StudyState.Running)
        {
            return;
        }

        if (study.IsFinished(now))
        {
            batch.Add(new StudyEnded(StudyState.Completed, now));
            batch.Then(OnEnded);
            return;
        }

        while (study.CanStartTrial(now))
        {
            var started = ProposeTrial(study, now);
            batch.Add(started);
            batch.Then(() =>
            {
                _log.Info("Study {StudyId} starts trial {TrialId}: {Family} with {Knobs}{WarmStart}", _studyId, started.TrialId,
                    started.Family, started.Knobs.ToString(),
                    started.WarmStartFrom is { } from ? $", warm-started from {from.TrialId}" : "");
                _trials.Tell(RunTrialFor(study.Find(started.TrialId)!));
            });
        }
    }

    private static TrialStarted ProposeTrial(Study study, DateTimeOffset now)
    {
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

        return new TrialStarted(
            study.TrialIdFor(number), number, family, knobs, Seeds.Derive(study.Spec.Seed, number), now,
            warmStart is null ? null : new WarmStart(warmStart.TrialId, warmStart.CheckpointId, warmStart.Score));
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

    // Holds a report until the mailbox has been read up to RecordReports, so reports that arrive together are
    // written together.
    private void BufferReport(ReportEpoch report)
    {
        if (_reports.Count == 0)
        {
            Self.Tell(RecordReports.Instance);
        }

        _reports.Add((report, Sender));
    }

    private void RecordBufferedReports()
    {
        if (_study is null)
        {
            _reports.Clear();
            return;
        }

        var batch = new StudyBatch(_study);
        foreach (var (report, sender) in _reports)
        {
            RecordEpoch(batch, report, sender);
        }

        _reports.Clear();
        StartTrials(batch, DateTimeOffset.UtcNow);
        Write(batch);
    }

    private void RecordEpoch(StudyBatch batch, ReportEpoch report, IActorRef sender)
    {
        var trial = _study!.Find(report.TrialId);
        if (trial is null)
        {
            _log.Warning("Study {StudyId} got an epoch report for unknown trial {TrialId}; ignored", _studyId, report.TrialId);
            return;
        }

        var epoch = report.Report.Epoch;
        if (trial.State != TrialState.Running)
        {
            var ended = trial.State;
            batch.Then(() => sender.Tell(
                new TrialDecision(trial.Id, epoch, Continue: false, $"trial already {ended.ToString().ToLowerInvariant()}")));
            return;
        }

        if (epoch <= trial.LastEpoch)
        {
            // A resent report whose first copy was recorded: answer again without recording twice.
            batch.Then(() => sender.Tell(new TrialDecision(trial.Id, epoch, Continue: true, "already recorded")));
            return;
        }

        // Decide adds this report to the trial's curve itself, so it runs before the epoch is applied.
        var (state, reason) = Decide(trial, report.Report);
        batch.Add(new EpochRecorded(trial.Id, report.Report));
        if (state is { } final)
        {
            batch.Add(new TrialEnded(trial.Id, final, reason, DateTimeOffset.UtcNow));
            batch.Then(() => OnTrialEnded(trial, final, reason));
        }
        else
        {
            batch.Then(() =>
            {
                if (_progress.TryGetValue(trial.Id, out var live))
                {
                    _progress[trial.Id] = live with { Fraction = 0 };
                }
            });
        }

        batch.Then(() => sender.Tell(new TrialDecision(trial.Id, epoch, Continue: state is null, state is null ? "continue" : reason)));
    }

    // Writes a batch whose events the study already applied. Its actions run once the journal contains them all.
    private void Write(StudyBatch batch)
    {
        if (batch.Events.Count == 0)
        {
            batch.RunActions();
            return;
        }

        var remaining = batch.Events.Count;
        PersistAll(batch.Events, _ =>
        {
            if (--remaining == 0)
            {
                batch.RunActions();
            }
        });
    }

    /// <summary>
    /// Stops the actor when the journal rejects a batch. The study applied the batch's events before the write, so
    /// only a recovery from the journal brings its state back in line. Akka.Persistence stops the actor after a
    /// failed write by itself.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
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

    private void OnEnded()
    {
        Timers.Cancel(nameof(Redispatch));
        var best = Status().Best;
        _log.Info("Study {StudyId} {State}; best trial {TrialId} with validation accuracy {Accuracy:F4}",
            _studyId, _study!.State.ToString().ToLowerInvariant(), best?.Id ?? "none", best?.ValAccuracy ?? 0);
        _registry.Tell(new StudyRegistryProtocol.StudyFinished(_studyId, _study.State));
    }

    private sealed record RecordReports
    {
        public static RecordReports Instance { get; } = new();
    }

    private sealed record Dispatch
    {
        public static Dispatch Instance { get; } = new();
    }

    private sealed record Redispatch
    {
        public static Redispatch Instance { get; } = new();
    }

    private sealed record ResendAfterNodeLoss(string Node, int Left);
}
