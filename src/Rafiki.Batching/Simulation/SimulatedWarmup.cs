using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Simulation;

/// <summary>Warm-up measurements of a simulated model, as a real warm-up would produce them.</summary>
public static class SimulatedWarmup
{
    /// <summary>
    /// Runs <paramref name="runs"/> simulated batches of each size in
    /// <see cref="BatchLatencyModel.WarmupBatchSizes"/> and returns a percentile of each size's latencies.
    /// </summary>
    /// <param name="latency">The simulated model.</param>
    /// <param name="maxBatchSize">Largest batch size to measure.</param>
    /// <param name="runs">Batches per size.</param>
    /// <param name="percentile">Fraction in (0, 1], such as 0.95, picked from each size's latencies.</param>
    /// <param name="random">Source of the latency noise.</param>
    public static IReadOnlyDictionary<int, double> Measure(
        IBatchLatencyFunction latency, int maxBatchSize, int runs, double percentile, Random random)
    {
        ArgumentNullException.ThrowIfNull(latency);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        if (!(percentile > 0 && percentile <= 1))
        {
            throw new ArgumentException(
                $"percentile is {percentile}, which is invalid; use a fraction in (0, 1], such as 0.95.",
                nameof(percentile));
        }

        var measured = new Dictionary<int, double>();
        foreach (var size in BatchLatencyModel.WarmupBatchSizes(maxBatchSize))
        {
            var window = new SlidingWindow(runs);
            for (var run = 0; run < runs; run++)
            {
                window.Add(latency.SampleMs(size, random));
            }

            measured[size] = window.Percentile(percentile);
        }

        return measured;
    }
}
