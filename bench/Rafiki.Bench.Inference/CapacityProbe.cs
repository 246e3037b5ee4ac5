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

    /// <summary>
    /// Measures every warm-up batch size up to <paramref name="maxBatchSize"/> in <paramref name="rounds"/> rounds
    /// that each run every size for <paramref name="slice"/>. Interleaving the sizes spreads each one over the whole
    /// measurement, so a change in the machine's load from other processes does not favour one size.
    /// </summary>
    public IReadOnlyList<BatchMeasurement> MeasureAll(int maxBatchSize, int rounds, TimeSpan slice)
    {
        var sizes = BatchLatencyModel.WarmupBatchSizes(maxBatchSize);
        var latencies = sizes.ToDictionary(size => size, _ => new List<double>());
        var seconds = sizes.ToDictionary(size => size, _ => 0.0);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var size in sizes)
            {
                var (runs, elapsed) = Run(size, slice);
                latencies[size].AddRange(runs);
                seconds[size] += elapsed.TotalSeconds;
            }
        }

        return [.. sizes.Select(size => Summarize(size, latencies[size], seconds[size]))];
    }

    /// <summary>Runs batches of <paramref name="size"/> test images back to back for <paramref name="duration"/>.</summary>
    public BatchMeasurement Measure(int size, TimeSpan duration)
    {
        var (latencies, elapsed) = Run(size, duration);
        return Summarize(size, latencies, elapsed.TotalSeconds);
    }

    private static BatchMeasurement Summarize(int size, List<double> latencies, double seconds)
    {
        latencies.Sort();
        return new BatchMeasurement(
            size,
            Percentiles.Of(latencies, 0.50),
            Percentiles.Of(latencies, 0.95),
            latencies.Count * size / seconds);
    }

    private (List<double> Latencies, TimeSpan Elapsed) Run(int size, TimeSpan duration)
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

        return (latencies, total.Elapsed);
    }

    public void Dispose() => _model.Dispose();
}
