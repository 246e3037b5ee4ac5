using System.Diagnostics;
using Rafiki.Batching.Latency;
using Rafiki.Inference;
using Rafiki.Models;
using Rafiki.Storage.Checkpoints;
using Rafiki.Storage.Datasets;

namespace Rafiki.Bench.Inference;

/// <summary>Latency and throughput of one batch size, measured by calling the model directly.</summary>
/// <param name="BatchSize">Images per forward pass.</param>
/// <param name="P50Ms">Median latency of a forward pass.</param>
/// <param name="P95Ms">95th percentile latency of a forward pass.</param>
/// <param name="ThroughputPerSecond">Images classified per second with forward passes back to back.</param>
internal sealed record BatchMeasurement(int BatchSize, double P50Ms, double P95Ms, double ThroughputPerSecond);

/// <summary>
/// Measures the model alone, without actors or queues: forward passes of real test images back to back, for a
/// fixed time per batch size. The best throughput over the batch sizes is the capacity the workloads are scaled to.
/// </summary>
internal static class CapacityProbe
{
    private const int WarmupRuns = 3;

    public static async Task<IReadOnlyList<BatchMeasurement>> MeasureAsync(
        DeployedModel deployed, IParameterStore checkpoints, ImageDataset test, int maxBatchSize, TimeSpan perSize)
    {
        var parameters = await checkpoints.LoadAsync(deployed.CheckpointId)
                         ?? throw new InvalidOperationException($"checkpoint '{deployed.CheckpointId}' is missing.");
        using var model = ModelZoo.Get(deployed.Family).Create(
            new ModelSpec(deployed.Knobs, deployed.Input, deployed.ClassNames.Count, Seed: 0));
        model.LoadParameters(parameters, strict: true);

        var measurements = new List<BatchMeasurement>();
        foreach (var size in BatchLatencyModel.WarmupBatchSizes(maxBatchSize))
        {
            measurements.Add(Measure(model, test, size, perSize));
        }

        return measurements;
    }

    private static BatchMeasurement Measure(IModel model, ImageDataset test, int size, TimeSpan duration)
    {
        var images = test.Slice(0, size).Pixels;
        for (var i = 0; i < WarmupRuns; i++)
        {
            model.PredictProbabilities(images, size);
        }

        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed < duration)
        {
            var run = Stopwatch.StartNew();
            model.PredictProbabilities(images, size);
            latencies.Add(run.Elapsed.TotalMilliseconds);
        }

        var seconds = total.Elapsed.TotalSeconds;
        latencies.Sort();
        return new BatchMeasurement(
            size,
            Percentiles.Of(latencies, 0.50),
            Percentiles.Of(latencies, 0.95),
            latencies.Count * size / seconds);
    }
}
