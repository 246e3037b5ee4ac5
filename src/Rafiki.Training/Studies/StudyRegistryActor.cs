using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using static Rafiki.Training.Studies.StudyRegistryProtocol;

namespace Rafiki.Training.Studies;

/// <summary>
/// The cluster-wide list of studies, a persistent cluster singleton on the master role. It records a study before
/// creating it, and after a restart of the cluster it wakes every study that has not ended, so running studies
/// continue without a client asking.
/// </summary>
public sealed class StudyRegistryActor : ReceivePersistentActor
{
    private readonly IActorRef _studies;
    private readonly Dictionary<string, (StudyRegistered Registered, StudyState State)> _entries = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public StudyRegistryActor(IActorRef studies)
    {
        _studies = studies;

        Recover<StudyRegistered>(registered => _entries[registered.StudyId] = (registered, StudyState.Running));
        Recover<StudyUnregistered>(Apply);
        Recover<RecoveryCompleted>(_ => WakeRunningStudies());

        Command<SubmitStudy>(Submit);
        Command<ListStudies>(_ => Sender.Tell(new StudyList(
            [.. _entries.Values.OrderBy(e => e.Registered.SubmittedAt).Select(e =>
                new StudyEntry(e.Registered.StudyId, e.Registered.Spec.Name, e.Registered.SubmittedAt, e.State))])));
        Command<StudyFinished>(finished =>
        {
            if (_entries.TryGetValue(finished.StudyId, out var entry) && entry.State == StudyState.Running)
            {
                Persist(new StudyUnregistered(finished.StudyId, finished.State), Apply);
            }
        });
    }

    public override string PersistenceId => "study-registry";

    /// <summary>Props for the singleton; <paramref name="studies"/> routes to study masters.</summary>
    public static Props Props(IActorRef studies) => Akka.Actor.Props.Create(() => new StudyRegistryActor(studies));

    private void Apply(StudyUnregistered unregistered)
    {
        if (_entries.TryGetValue(unregistered.StudyId, out var entry))
        {
            _entries[unregistered.StudyId] = (entry.Registered, unregistered.State);
        }
    }

    private void Submit(SubmitStudy submit)
    {
        var problems = submit.Spec.Validate();
        if (problems.Count > 0)
        {
            Sender.Tell(new StudyProtocol.StudyRejected(submit.StudyId, problems));
            return;
        }

        if (_entries.ContainsKey(submit.StudyId))
        {
            _studies.Forward(new StudyProtocol.CreateStudy(submit.StudyId, submit.Spec));
            return;
        }

        var sender = Sender;
        Persist(new StudyRegistered(submit.StudyId, submit.Spec, DateTimeOffset.UtcNow), registered =>
        {
            _entries[registered.StudyId] = (registered, StudyState.Running);
            _studies.Tell(new StudyProtocol.CreateStudy(registered.StudyId, registered.Spec), sender);
        });
    }

    private void WakeRunningStudies()
    {
        foreach (var (registered, _) in _entries.Values.Where(e => e.State == StudyState.Running))
        {
            _log.Info("Waking study {StudyId} after a restart", registered.StudyId);
            _studies.Tell(new StudyProtocol.CreateStudy(registered.StudyId, registered.Spec), ActorRefs.NoSender);
        }
    }
}
