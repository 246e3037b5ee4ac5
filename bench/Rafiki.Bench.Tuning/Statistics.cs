namespace Rafiki.Bench.Tuning;

/// <summary>Order statistics for the benchmark tables.</summary>
public static class Statistics
{
    /// <summary>Returns the <paramref name="fraction"/> quantile of sorted values, interpolating linearly.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        var position = fraction * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>Returns the median of unsorted values.</summary>
    public static double Median(IEnumerable<double> values) => Percentile([.. values.Order()], 0.5);
}
