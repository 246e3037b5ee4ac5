namespace Rafiki.Bench.Inference;

/// <summary>Nearest-rank percentiles of sorted values.</summary>
internal static class Percentiles
{
    /// <summary>Returns the nearest-rank percentile of <paramref name="sorted"/>, or 0 when it is empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count), 1, sorted.Count) - 1];
}
