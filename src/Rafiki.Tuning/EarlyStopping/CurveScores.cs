namespace Rafiki.Tuning.EarlyStopping;

/// <summary>
/// Reads scores off trial curves for the rules; a NaN score (a diverged epoch) counts as the worst score.
/// </summary>
internal static class CurveScores
{
    /// <summary>Returns the score after epoch <paramref name="epoch"/> (1-based).</summary>
    public static double At(TrialCurve curve, int epoch) => Sanitize(curve.Scores[epoch - 1]);

    /// <summary>Returns the best score over epochs 1 to <paramref name="epoch"/>.</summary>
    public static double BestUpTo(TrialCurve curve, int epoch)
    {
        var best = double.NegativeInfinity;
        for (var i = 0; i < epoch; i++)
        {
            best = Math.Max(best, Sanitize(curve.Scores[i]));
        }

        return best;
    }

    /// <summary>Returns the study's other trials, leaving out any curve with the judged trial's id.</summary>
    public static IEnumerable<TrialCurve> Others(TrialCurve trial, IReadOnlyList<TrialCurve> study) =>
        study.Where(curve => !string.Equals(curve.TrialId, trial.TrialId, StringComparison.Ordinal));

    private static double Sanitize(double score) => double.IsNaN(score) ? double.NegativeInfinity : score;
}
