namespace Rafiki.Tuning.EarlyStopping;

/// <summary>The validation scores one trial has reported so far, one per epoch, higher is better.</summary>
/// <param name="TrialId">The trial.</param>
/// <param name="Scores">Score after epoch 1, 2, ...</param>
/// <param name="Finished">Whether the trial has stopped reporting (completed, pruned or failed).</param>
public sealed record TrialCurve(string TrialId, IReadOnlyList<double> Scores, bool Finished);

/// <summary>What the study master does with a trial after it reports an epoch.</summary>
public enum EarlyStoppingDecision
{
    Continue,
    Prune,
}

/// <summary>
/// Decides whether a running trial should go on after an epoch report. Like advisors, rules keep no state
/// between calls: the curves of every trial of the study come with each call.
/// </summary>
public interface IEarlyStoppingRule
{
    /// <summary>Name used in train-job specs and on the command line, such as <c>none</c>.</summary>
    string Name { get; }

    /// <summary>Decides for <paramref name="trial"/>, which has just reported its latest epoch.</summary>
    EarlyStoppingDecision Decide(TrialCurve trial, IReadOnlyList<TrialCurve> study);
}
