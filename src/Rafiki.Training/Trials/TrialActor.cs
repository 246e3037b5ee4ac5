using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Rafiki.Training.Devices;
using Rafiki.Training.Studies;
using static Rafiki.Training.Trials.TrialProtocol;

namespace Rafiki.Training.Trials;

/// <summary>
/// Sharded entity that runs one trial on the node it lives on: it takes a device slot, trains on a
/// <see cref="TrialRunner"/> thread, and reports each epoch to the study master, resending until the master
/// answers, so a report survives a master restart. It passivates once the trial ends.
/// </summary>
public sealed class TrialActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(3);

    private readonly string _trialId;
    private readonly TrainingServices _services;
    private readonly IActorRef _studies;
    private readonly IActorRef _slots;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private RunTrial? _run;
    private TrialRunner? _runner;
    private object? _unanswered;
    private readonly string _worker = Context.System.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal)
        ? Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString()
        : "local";

    public TrialActor(string trialId, TrainingServices services, IActorRef studies, IActorRef slots)
    {
        _trialId = trialId;
        _services = services;
        _studies = studies;
        _slots = slots;
        Idle();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the entity <paramref name="trialId"/>; <paramref name="studies"/> routes to study masters.</summary>
    public static Props Props(string trialId, TrainingServices services, IActorRef studies, IActorRef slots) =>
        Akka.Actor.Props.Create(() => new TrialActor(trialId, services, studies, slots));

    protected override void PostStop()
    {
        _runner?.Cancel();
        _slots.Tell(new DeviceSlotsProtocol.ReleaseSlot(_trialId));
    }

    private void Idle()
    {
        Receive<RunTrial>(run =>
        {
            _run = run;
            _log.Info("Trial {TrialId} of study {StudyId} waits for a device slot ({Family}, {Knobs})",
                _trialId, run.StudyId, run.Assignment.Family, run.Assignment.Knobs.ToString());
            _slots.Tell(new DeviceSlotsProtocol.AcquireSlot(_trialId));
            Become(WaitingForSlot);
        });
        Receive<StopTrial>(_ => Passivate());
        Receive<TrialDecision>(_ => { });
    }

    private void WaitingForSlot()
    {
        Receive<DeviceSlotsProtocol.SlotGranted>(granted =>
        {
            var run = _run!;
            _log.Info("Trial {TrialId} starts on {Device}{Resume}", _trialId, granted.Device,
                run.ResumeFrom is { } resume ? $", resuming after epoch {resume.Epoch}" : "");
            _runner = new TrialRunner(_trialId, run.Assignment, run.ResumeFrom, granted.Device, _services, Self);
            _runner.Start();

            // Tell the master at once where the trial runs, before the first progress report of the epoch.
            var epoch = (run.ResumeFrom?.Epoch ?? 0) + 1;
            _studies.Tell(new StudyProtocol.ReportProgress(run.StudyId, _trialId, epoch, 0, _worker));
            Become(Training);
        });
        // The study master resends RunTrial while the trial runs. Requesting the slot again recovers a request or a
        // grant that the slot actor lost, and the slot actor never queues a repeated request twice.
        Receive<RunTrial>(_ => _slots.Tell(new DeviceSlotsProtocol.AcquireSlot(_trialId)));
        Receive<StopTrial>(_ => Passivate());
        Receive<TrialDecision>(_ => { });
    }

    private void Training()
    {
        Receive<DeviceSlotsProtocol.SlotGranted>(_ => { });
        Receive<TrialRunner.EpochProgressed>(progress =>
            _studies.Tell(new StudyProtocol.ReportProgress(_run!.StudyId, _trialId, progress.Epoch, progress.Fraction, _worker)));
        Receive<TrialRunner.EpochTrained>(trained =>
            SendUntilAnswered(new StudyProtocol.ReportEpoch(_run!.StudyId, _trialId, trained.Report)));
        Receive<TrialDecision>(decision =>
        {
            if (_unanswered is StudyProtocol.ReportEpoch report && report.Report.Epoch == decision.Epoch)
            {
                StopResending();
            }

            if (_runner!.Decide(decision.Epoch, decision.Continue) && !decision.Continue)
            {
                _log.Info("Trial {TrialId} ends after epoch {Epoch}: {Reason}", _trialId, decision.Epoch, decision.Reason);
            }
        });
        Receive<TrialRunner.RunnerEnded>(ended =>
        {
            _slots.Tell(new DeviceSlotsProtocol.ReleaseSlot(_trialId));
            if (ended.Error is { } error)
            {
                _log.Error(error, "Trial {TrialId} failed", _trialId);
                SendUntilAnswered(new StudyProtocol.ReportTrialFailure(_run!.StudyId, _trialId, _run.Attempt, Describe(error)));
                Become(ReportingFailure);
            }
            else if (_unanswered is StudyProtocol.ReportEpoch)
            {
                // The last epoch's report is still unanswered: keep resending it, without holding the slot.
                Become(AwaitingFinalDecision);
            }
            else
            {
                Passivate();
            }
        });
        Receive<StopTrial>(stop =>
        {
            _log.Info("Trial {TrialId} stopping: {Reason}", _trialId, stop.Reason);
            _runner!.Cancel();
        });
        Receive<RunTrial>(_ => ResendNow());
        Receive<Resend>(_ => ResendNow());
    }

    private void AwaitingFinalDecision()
    {
        Receive<TrialDecision>(decision =>
        {
            if (_unanswered is StudyProtocol.ReportEpoch report && report.Report.Epoch == decision.Epoch)
            {
                _log.Info("Trial {TrialId} ends after epoch {Epoch}: {Reason}", _trialId, decision.Epoch, decision.Reason);
                Passivate();
            }
        });
        Receive<Resend>(_ => ResendNow());
        Receive<RunTrial>(_ => ResendNow());
        Receive<StopTrial>(_ => Passivate());
    }

    private void ReportingFailure()
    {
        Receive<StudyProtocol.TrialFailureRecorded>(_ => Passivate());
        Receive<Resend>(_ => ResendNow());
        Receive<RunTrial>(_ => ResendNow());
        Receive<StopTrial>(_ => Passivate());
        Receive<TrialDecision>(_ => { });
    }

    private void SendUntilAnswered(object message)
    {
        _unanswered = message;
        ResendNow();
        Timers.StartPeriodicTimer("resend", Resend.Instance, ResendInterval);
    }

    private void ResendNow()
    {
        if (_unanswered is not null)
        {
            _studies.Tell(_unanswered);
        }
    }

    private void StopResending()
    {
        _unanswered = null;
        Timers.Cancel("resend");
    }

    private void Passivate()
    {
        StopResending();
        Become(() =>
        {
            ReceiveAny(_ => { });
        });
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    private static string Describe(Exception error) => error switch
    {
        AggregateException { InnerException: { } inner } => Describe(inner),
        _ => $"{error.GetType().Name}: {error.Message}",
    };

    private sealed record Resend
    {
        public static Resend Instance { get; } = new();
    }
}
