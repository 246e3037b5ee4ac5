using Rafiki.Core;

namespace Rafiki.Training.Studies;

/// <summary>Messages of the study registry, the cluster-wide list of studies.</summary>
public static class StudyRegistryProtocol
{
    /// <summary>Registers and creates a study. The reply is the study master's reply to <see cref="StudyProtocol.CreateStudy"/>.</summary>
    public sealed record SubmitStudy(string StudyId, StudySpec Spec) : IRafikiMessage;

    /// <summary>Requests the <see cref="StudyList"/>.</summary>
    public sealed record ListStudies : IRafikiMessage
    {
        public static ListStudies Instance { get; } = new();
    }

    /// <summary>Every registered study, oldest first.</summary>
    public sealed record StudyList(IReadOnlyList<StudyEntry> Studies) : IRafikiMessage;

    /// <summary>One registered study.</summary>
    public sealed record StudyEntry(string StudyId, string Name, DateTimeOffset SubmittedAt, StudyState State) : IRafikiMessage;

    /// <summary>Sent by a study master to the registry when its study ends.</summary>
    public sealed record StudyFinished(string StudyId, StudyState State) : IRafikiMessage;

    /// <summary>Persisted when a study is submitted.</summary>
    public sealed record StudyRegistered(string StudyId, StudySpec Spec, DateTimeOffset SubmittedAt) : IRafikiMessage;

    /// <summary>Persisted when a study ends.</summary>
    public sealed record StudyUnregistered(string StudyId, StudyState State) : IRafikiMessage;
}
