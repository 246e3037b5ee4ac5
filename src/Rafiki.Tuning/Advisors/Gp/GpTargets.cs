namespace Rafiki.Tuning.Advisors;

/// <summary>How <see cref="GpAdvisor"/> turns observed scores into GP targets.</summary>
public enum GpTargetTransform
{
    /// <summary>Subtract the mean and divide by the standard deviation.</summary>
    Standardize,

    /// <summary>
    /// Standardize -log(best - score + c), with c the median gap to the best score. Very bad trials, such as
    /// diverged losses, are compressed, so they cannot flatten the GP's view of the good region.
    /// </summary>
    LogGap,

    /// <summary>
    /// <see cref="Standardize"/> for even proposal numbers and <see cref="LogGap"/> for odd ones: the log view
    /// excels on heavy-tailed objectives, while the linear view keeps exploring regions that look poor on
    /// average, and alternating hedges between them without keeping state.
    /// </summary>
    Alternate,
}

/// <summary>Computes GP targets from scores.</summary>
internal static class GpTargets
{
    /// <summary>
    /// Returns the targets of <paramref name="scores"/> for proposal <paramref name="proposalNumber"/>.
    /// </summary>
    public static double[] Transform(
        double[] scores, GpTargetTransform transform, int proposalNumber) => transform switch
    {
        GpTargetTransform.LogGap => Standardize(LogGap(scores)),
        GpTargetTransform.Alternate when proposalNumber % 2 == 1 => Standardize(LogGap(scores)),
        _ => Standardize(scores),
    };

    private static double[] Standardize(double[] values)
    {
        var mean = values.Average();
        var spread = Math.Sqrt(values.Average(value => (value - mean) * (value - mean)));
        spread = spread > 1e-12 ? spread : 1.0;
        return [.. values.Select(value => (value - mean) / spread)];
    }

    private static double[] LogGap(double[] scores)
    {
        var best = scores.Max();
        var gaps = scores.Select(score => best - score).Order().ToArray();

        // The floor keeps the logarithm finite when most trials share the best score.
        var offset = Math.Max(gaps[gaps.Length / 2], 1e-12);
        return [.. scores.Select(score => -Math.Log(best - score + offset))];
    }
}
