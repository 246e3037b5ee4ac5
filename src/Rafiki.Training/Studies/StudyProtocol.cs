using Rafiki.Core;

namespace Rafiki.Training.Studies;

/// <summary>Messages a study master receives and sends.</summary>
public static class StudyProtocol
{
    /// <summary>Creates the study if it does not exist yet. The reply is <see cref="StudyAccepted"/> or <see cref="StudyRejected"/>.</summary>
    public sealed record CreateStudy(string StudyId, StudySpec Spec) : IWithStudyId;

    /// <summary>The study exists with this spec and runs (or has run) its trials.</summary>
    public sealed record StudyAccepted(string StudyId) : IRafikiMessage;

    /// <summary>The spec is invalid or the id is taken by another spec; nothing was stored.</summary>
    public sealed record StudyRejected(string StudyId, IReadOnlyList<string> Problems) : IRafikiMessage;

    /// <summary>Requests the study's <see cref="StudyStatus"/>; for a study that was never created the reply is <see cref="StudyNotFound"/>.</summary>
    public sealed record GetStudy(string StudyId) : IWithStudyId;

    /// <summary>No study has this id.</summary>
    public sealed record StudyNotFound(string StudyId) : IRafikiMessage;

    /// <summary>Stops starting trials and stops the running ones at their next epoch. The reply is the study's status.</summary>
    public sealed record StopStudy(string StudyId) : IWithStudyId;

    /// <summary>Wakes a study after a restart so it dispatches its unfinished trials again.</summary>
    public sealed record ResumeStudy(string StudyId) : IWithStudyId;

    /// <summary>A trial finished an epoch and saved its checkpoint. The reply is a <see cref="Trials.TrialProtocol.TrialDecision"/>.</summary>
    public sealed record ReportEpoch(string StudyId, string TrialId, EpochReport Report) : IWithStudyId;

    /// <summary>How far a trial is into its current epoch, and on which worker node; not persisted, for live progress only.</summary>
    public sealed record ReportProgress(string StudyId, string TrialId, int Epoch, double Fraction, string Worker) : IWithStudyId;

    /// <summary>Attempt <see cref="Attempt"/> of a trial threw. The reply is <see cref="TrialFailureRecorded"/>.</summary>
    public sealed record ReportTrialFailure(string StudyId, string TrialId, int Attempt, string Error) : IWithStudyId;

    /// <summary>The failure report was persisted, so the trial actor may stop resending it.</summary>
    public sealed record TrialFailureRecorded(string TrialId) : IRafikiMessage;
}

/// <summary>The earlier trial, and its checkpoint, whose parameters a CoStudy trial starts from.</summary>
/// <param name="TrialId">The earlier trial.</param>
/// <param name="CheckpointId">Checkpoint of its best epoch.</param>
/// <param name="Score">Validation score of that checkpoint.</param>
public sealed record WarmStart(string TrialId, string CheckpointId, double Score);

/// <summary>Which parameter tensors a warm start copied from its checkpoint, and which did not fit.</summary>
public sealed record WarmStartLoad(IReadOnlyList<string> Loaded, IReadOnlyList<string> Skipped);

/// <summary>Metrics of one finished epoch of a trial.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss.</param>
/// <param name="TrainAccuracy">Training accuracy measured during the epoch.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation dataset after the epoch.</param>
/// <param name="ValidationLoss">Mean loss on the validation dataset.</param>
/// <param name="CheckpointId">Parameter-store id of the parameters after the epoch.</param>
/// <param name="DurationSeconds">Wall-clock seconds the epoch and its evaluation took.</param>
/// <param name="WarmStartLoad">On the first epoch of a warm-started trial, what the warm start loaded; null otherwise.</param>
public sealed record EpochReport(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationAccuracy,
    double ValidationLoss,
    string CheckpointId,
    double DurationSeconds,
    WarmStartLoad? WarmStartLoad = null);
