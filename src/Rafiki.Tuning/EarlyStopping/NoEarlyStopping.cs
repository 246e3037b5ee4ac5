namespace Rafiki.Tuning.EarlyStopping;

/// <summary>Lets every trial run all its epochs.</summary>
public sealed class NoEarlyStopping : IEarlyStoppingRule
{
    public string Name => EarlyStoppingRules.None;

    public EarlyStoppingDecision Decide(TrialCurve trial, IReadOnlyList<TrialCurve> study) => EarlyStoppingDecision.Continue;
}
