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
/// fixed time per batch size, on the thread that calls it.
/// </summary>
internal sealed class CapacityProbe : IDisposable
{
    private const int WarmupRuns = 3;

    private readonly IModel _model;
    private readonly ImageDataset _test;

    private CapacityProbe(IModel model, ImageDataset test)
    {
        _model = model;
        _test = test;
    }

    /// <summary>Loads a second copy of the deployed model for measurements.</summary>
    public static async Task<CapacityProbe> LoadAsync(DeployedModel deployed, IParameterStore checkpoints, ImageDataset test)
    {
        var parameters = await checkpoints.LoadAsync(deployed.CheckpointId)
                         ?? throw new InvalidOperationException($"checkpoint '{deployed.CheckpointId}' is missing.");
        var model = ModelZoo.Get(deployed.Family).Create(
            new ModelSpec(deployed.Knobs, deployed.Input, deployed.ClassNames.Count, Seed: 0));
        model.LoadParameters(parameters, strict: true);
        return new CapacityProbe(model, test);
    }

    /// <summary>Measures every warm-up batch size up to <paramref name="maxBatchSize"/>, one after the other.</summary>
    public IReadOnlyList<BatchMeasurement> MeasureAll(int maxBatchSize, TimeSpan perSize) =>
        [.. BatchLatencyModel.WarmupBatchSizes(maxBatchSize).Select(size => Measure(size, perSize))];

    /// <summary>Runs batches of <paramref name="size"/> test images back to back for <paramref name="duration"/>.</summary>
    public BatchMeasurement Measure(int size, TimeSpan duration)
    {
        var images = _test.Slice(0, size).Pixels;
        for (var i = 0; i < WarmupRuns; i++)
        {
            _model.PredictProbabilities(images, size);
        }

        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed < duration)
        {
            var run = Stopwatch.StartNew();
            _model.PredictProbabilities(images, size);
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

    public void Dispose() => _model.Dispose();
}
