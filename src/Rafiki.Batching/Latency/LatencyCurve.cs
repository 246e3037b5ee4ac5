namespace Rafiki.Batching.Latency;

/// <summary>Piecewise-linear latency curve through measured batch sizes.</summary>
internal static class LatencyCurve
{
    /// <summary>
    /// Checks measured latencies and returns them ordered by batch size. The latencies are lifted to be
    /// non-decreasing, because noisy measurements can show a larger batch as faster than a smaller one, and a
    /// decreasing curve would make waiting for more requests look free.
    /// </summary>
    /// <exception cref="ArgumentException">There are no measurements, a size is below 1, or a latency is not a
    /// finite number above 0.</exception>
    public static (int[] Sizes, double[] LatenciesMs) FromMeasurements(
        IReadOnlyDictionary<int, double> latenciesMs, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs, parameterName);
        if (latenciesMs.Count == 0)
        {
            throw new ArgumentException(
                "No batch latencies were given; measure at least batch size 1, better 1, 2, 4, ..., Bmax.",
                parameterName);
        }

        foreach (var (size, latencyMs) in latenciesMs)
        {
            if (size < 1)
            {
                throw new ArgumentException(
                    $"Batch size {size} is invalid; batch sizes start at 1.", parameterName);
            }

            if (!(latencyMs > 0) || double.IsInfinity(latencyMs))
            {
                throw new ArgumentException(
                    $"Latency {latencyMs} ms for batch size {size} is invalid; give a finite latency above 0 ms.",
                    parameterName);
            }
        }

        var sizes = latenciesMs.Keys.Order().ToArray();
        var ordered = sizes.Select(size => latenciesMs[size]).ToArray();
        MakeNonDecreasing(ordered);
        return (sizes, ordered);
    }

    /// <summary>
    /// Returns the latency at <paramref name="batchSize"/>, interpolated linearly between the measured sizes.
    /// Below the smallest size it returns the smallest size's latency, an overestimate. Above the largest size it
    /// extends the last segment; with a single size it scales that latency in proportion to the batch size.
    /// </summary>
    /// <param name="sizes">Measured batch sizes, ascending and distinct.</param>
    /// <param name="latenciesMs">Latency at each size, non-decreasing.</param>
    /// <param name="batchSize">Batch size to estimate, at least 1.</param>
    public static double Interpolate(ReadOnlySpan<int> sizes, ReadOnlySpan<double> latenciesMs, int batchSize)
    {
        if (batchSize <= sizes[0])
        {
            return latenciesMs[0];
        }

        if (sizes.Length == 1)
        {
            return latenciesMs[0] * batchSize / sizes[0];
        }

        var upper = sizes.BinarySearch(batchSize);
        if (upper >= 0)
        {
            return latenciesMs[upper];
        }

        upper = ~upper;
        if (upper == sizes.Length)
        {
            upper = sizes.Length - 1;
        }

        var lower = upper - 1;
        var slope = (latenciesMs[upper] - latenciesMs[lower]) / (sizes[upper] - sizes[lower]);
        return latenciesMs[lower] + (slope * (batchSize - sizes[lower]));
    }

    /// <summary>Replaces each latency by the maximum of it and every latency before it.</summary>
    public static void MakeNonDecreasing(Span<double> latenciesMs)
    {
        for (var i = 1; i < latenciesMs.Length; i++)
        {
            latenciesMs[i] = Math.Max(latenciesMs[i], latenciesMs[i - 1]);
        }
    }
}
