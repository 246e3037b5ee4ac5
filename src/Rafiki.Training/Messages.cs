using Rafiki.Core;

namespace Rafiki.Training;

/// <summary>A message for one study master; the study shard region routes it by <see cref="StudyId"/>.</summary>
public interface IWithStudyId : IRafikiMessage
{
    /// <summary>Id of the study the message is for.</summary>
    string StudyId { get; }
}

/// <summary>A message for one trial actor; the trial shard region routes it by <see cref="TrialId"/>.</summary>
public interface IWithTrialId : IRafikiMessage
{
    /// <summary>Id of the trial the message is for.</summary>
    string TrialId { get; }
}
