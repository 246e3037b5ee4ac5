namespace Rafiki.Tuning.EarlyStopping;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al., "A System for Massively Parallel Hyperparameter Tuning",
/// MLSys 2020). Rungs lie at epochs r, r·η, r·η², ... where r is <see cref="EarlyStoppingOptions.MinEpochs"/> and η
/// is <see cref="EarlyStoppingOptions.ReductionFactor"/>. When a trial reaches a rung it continues only if its best
/// score up to that epoch ranks in the top ⌊n/η⌋ of the n trials that have reached the rung so far, itself included.
/// </summary>
/// <remarks>
/// Trials cannot be paused and resumed, so a rung is judged on the trials seen so far: while fewer than η trials
/// have reached it, only a trial that is the best there continues. Ties count in the trial's favour.
/// There is no top rung: a trial keeps being judged at every rung up to the epoch budget the study gives it, and
/// one that passes its last rung runs to the end of that budget. Epochs between rungs always continue.
/// </remarks>
public sealed class AshaRule : IEarlyStoppingRule
{
    private readonly EarlyStoppingOptions _options;

    /// <summary>Creates the rule; null options take the defaults.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public AshaRule(EarlyStoppingOptions? options = null)
    {
        _options = options ?? new EarlyStoppingOptions();
        _options.Validate();
    }

    public string Name => EarlyStoppingRules.Asha;

    /// <summary>Returns whether <paramref name="epoch"/> is r·η^k for some k ≥ 0.</summary>
    public bool IsRung(int epoch)
    {
        long rung = _options.MinEpochs;
        while (rung < epoch)
        {
            rung *= _options.ReductionFactor;
        }

        return rung == epoch;
    }

    public EarlyStoppingDecision Decide(TrialCurve trial, IReadOnlyList<TrialCurve> study)
    {
        var epoch = trial.Scores.Count;
        if (trial.Finished || epoch == 0 || !IsRung(epoch))
        {
            return EarlyStoppingDecision.Continue;
        }

        var score = CurveScores.BestUpTo(trial, epoch);
        var competitors = CurveScores.Others(trial, study)
            .Where(curve => curve.Scores.Count >= epoch)
            .Select(curve => CurveScores.BestUpTo(curve, epoch))
            .ToList();
        var promoted = Math.Max(1, (competitors.Count + 1) / _options.ReductionFactor);
        var better = competitors.Count(other => other > score);
        return better < promoted ? EarlyStoppingDecision.Continue : EarlyStoppingDecision.Prune;
    }
}
