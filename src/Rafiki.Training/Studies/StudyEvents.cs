using Rafiki.Core;
using Rafiki.Tuning;

namespace Rafiki.Training.Studies;

/// <summary>Events a study master persists; its state is rebuilt from them after a restart.</summary>
public static class StudyEvents
{
    /// <summary>Marker for study events.</summary>
    public interface IStudyEvent : IRafikiMessage;

    /// <summary>The study was created with this spec.</summary>
    public sealed record StudyCreated(string StudyId, StudySpec Spec, DateTimeOffset CreatedAt) : IStudyEvent;

    /// <summary>
    /// A trial got its knobs, and with CoStudy maybe a checkpoint to start from, and was sent to a worker; persisted
    /// before it is sent.
    /// </summary>
    public sealed record TrialStarted(
        string TrialId, int Number, string Family, Knobs Knobs, int Seed, DateTimeOffset StartedAt, WarmStart? WarmStartFrom = null)
        : IStudyEvent;

    /// <summary>A trial finished an epoch; recorded once per trial and epoch.</summary>
    public sealed record EpochRecorded(string TrialId, EpochReport Report) : IStudyEvent;

    /// <summary>A trial threw and will run again from its last checkpoint; <see cref="Attempt"/> counts from 2.</summary>
    public sealed record TrialRetried(string TrialId, int Attempt, string Reason, DateTimeOffset RetriedAt) : IStudyEvent;

    /// <summary>A trial reached a final state; recorded once per trial.</summary>
    public sealed record TrialEnded(string TrialId, TrialState State, string? Reason, DateTimeOffset EndedAt) : IStudyEvent;

    /// <summary>The study ended: budget used, or stopped.</summary>
    public sealed record StudyEnded(StudyState State, DateTimeOffset EndedAt) : IStudyEvent;
}

/// <summary>Lifecycle of a study.</summary>
public enum StudyState
{
    Running,
    Completed,
    Stopped,
}

/// <summary>Lifecycle of a trial.</summary>
public enum TrialState
{
    /// <summary>Sent to a worker; may be waiting for a device slot.</summary>
    Running,

    /// <summary>Trained all its epochs.</summary>
    Completed,

    /// <summary>Stopped early by the early-stopping rule; its checkpoints and partial result stay.</summary>
    Pruned,

    /// <summary>Threw an error, given in the reason.</summary>
    Failed,

    /// <summary>Stopped because the study was stopped or ran out of time.</summary>
    Stopped,
}
