namespace Rafiki.Tuning.EarlyStopping;

/// <summary>
/// Median stopping, the rule of Optuna's MedianPruner and Google Vizier: after epoch e, a trial is pruned when its
/// best score so far is below the median of the scores that the other trials reported at epoch e.
/// </summary>
/// <remarks>
/// Other trials count whether they are running or finished, as long as they reported epoch e. Optuna 3.1 compares
/// with completed trials only. Counting running trials lets a study whose first trials still run judge at once. No
/// trial is pruned during its first
/// <see cref="EarlyStoppingOptions.WarmupEpochs"/> epochs, or while fewer than
/// <see cref="EarlyStoppingOptions.MinTrials"/> other trials reported the epoch.
/// </remarks>
public sealed class MedianStoppingRule : IEarlyStoppingRule
{
    private readonly EarlyStoppingOptions _options;

    /// <summary>Creates the rule; null options take the defaults.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public MedianStoppingRule(EarlyStoppingOptions? options = null)
    {
        _options = options ?? new EarlyStoppingOptions();
        _options.Validate();
    }

    public string Name => EarlyStoppingRules.Median;

    public EarlyStoppingDecision Decide(TrialCurve trial, IReadOnlyList<TrialCurve> study)
    {
        var epoch = trial.Scores.Count;
        if (trial.Finished || epoch == 0 || epoch <= _options.WarmupEpochs)
        {
            return EarlyStoppingDecision.Continue;
        }

        var others = CurveScores.Others(trial, study)
            .Where(curve => curve.Scores.Count >= epoch)
            .Select(curve => CurveScores.At(curve, epoch))
            .Order()
            .ToList();
        if (others.Count < _options.MinTrials)
        {
            return EarlyStoppingDecision.Continue;
        }

        var middle = others.Count / 2;
        var median = others.Count % 2 == 1 ? others[middle] : (others[middle - 1] + others[middle]) / 2;
        return CurveScores.BestUpTo(trial, epoch) < median
            ? EarlyStoppingDecision.Prune
            : EarlyStoppingDecision.Continue;
    }
}
