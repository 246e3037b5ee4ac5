using Rafiki.Tuning;

namespace Rafiki.Training.Trials;

/// <summary>Messages a trial actor receives.</summary>
public static class TrialProtocol
{
    /// <summary>
    /// Starts the trial, or resumes it after <see cref="ResumeFrom"/>. Idempotent: a trial actor that already runs
    /// this trial ignores it, so the study master may resend it after a restart or a lost message.
    /// <see cref="Attempt"/> is 1 for the first run and grows with each retry after a failure.
    /// </summary>
    public sealed record RunTrial(string TrialId, string StudyId, int Attempt, TrialAssignment Assignment, ResumePoint? ResumeFrom) : IWithTrialId;

    /// <summary>Stops the trial at the next batch; the study master has already recorded why.</summary>
    public sealed record StopTrial(string TrialId, string Reason) : IWithTrialId;

    /// <summary>The study master's reply to an epoch report: go on to the next epoch, or end here.</summary>
    public sealed record TrialDecision(string TrialId, int Epoch, bool Continue, string Reason) : IWithTrialId;
}

/// <summary>
/// What one trial trains: a model family with knobs, on which data, for how many epochs, and with CoStudy the
/// checkpoint whose fitting tensors replace the random initial weights.
/// </summary>
public sealed record TrialAssignment(
    string Family,
    Knobs Knobs,
    int Seed,
    int MaxEpochs,
    string TrainDatasetId,
    string ValidationDatasetId,
    string? WarmStartCheckpointId = null);

/// <summary>The last recorded epoch of a trial and its checkpoint, from which a restarted trial continues.</summary>
public sealed record ResumePoint(int Epoch, string CheckpointId);
