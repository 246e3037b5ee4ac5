using static Rafiki.Training.Studies.StudyEvents;

namespace Rafiki.Training.Studies;

/// <summary>
/// Events that a study master writes to the journal in one atomic write, and the actions (replies, trial starts)
/// that may run only once the write has succeeded.
/// </summary>
/// <remarks>
/// Each event is applied to the study when it is added, so a later decision in the same batch takes it into account,
/// as it would for an event persisted on its own. Until the write completes, the master stashes every other command,
/// so no other actor learns of the applied events before they are written. A failed or rejected write stops the
/// master, and its recovery rebuilds the state from the journal without the lost batch.
/// </remarks>
internal sealed class StudyBatch(Study study)
{
    private readonly List<IStudyEvent> _events = [];
    private readonly List<Action> _actions = [];

    public IReadOnlyList<IStudyEvent> Events => _events;

    /// <summary>Applies <paramref name="event"/> to the study and adds it to the write.</summary>
    public void Add(IStudyEvent @event)
    {
        study.Apply(@event);
        _events.Add(@event);
    }

    /// <summary>Adds an action to run after the write, in the order added.</summary>
    public void Then(Action action) => _actions.Add(action);

    /// <summary>Runs the actions; the master calls it once the journal contains every event of the batch.</summary>
    public void RunActions()
    {
        foreach (var action in _actions)
        {
            action();
        }
    }
}
