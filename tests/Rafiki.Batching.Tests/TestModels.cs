using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Tests;

/// <summary>Latency models and snapshots with round numbers, so expected times can be worked out by hand.</summary>
internal static class TestModels
{
    /// <summary>
    /// Returns a model whose warm-up curve is exactly <c>fixedMs + perRequestMs * b</c> at 1, 2, 4, ..., Bmax, so its
    /// linear interpolation is exact for every b up to Bmax.
    /// </summary>
    public static BatchLatencyModel Linear(
        double fixedMs, double perRequestMs, int maxBatchSize, BatchLatencyModelOptions? options = null) =>
        new(
            BatchLatencyModel.WarmupBatchSizes(maxBatchSize)
                .ToDictionary(size => size, size => fixedMs + (perRequestMs * size)),
            options);

    /// <summary>Returns a snapshot at <paramref name="nowMs"/> of requests that arrived at the given times.</summary>
    public static QueueSnapshot Queue(double nowMs, params double[] arrivalsMs) => new(nowMs, arrivalsMs);
}
