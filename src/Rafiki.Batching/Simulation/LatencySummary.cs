namespace Rafiki.Batching.Simulation;

/// <summary>Nearest-rank percentiles of request latencies in milliseconds; all 0 when there were none.</summary>
public sealed record LatencySummary(double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    /// <summary>Returns the summary of <paramref name="latenciesMs"/>, which it sorts in place.</summary>
    public static LatencySummary Of(List<double> latenciesMs)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        if (latenciesMs.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }

        latenciesMs.Sort();
        return new LatencySummary(
            At(latenciesMs, 0.50), At(latenciesMs, 0.95), At(latenciesMs, 0.99), latenciesMs[^1]);
    }

    private static double At(List<double> sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
