using Rafiki.Batching.Latency;
using Rafiki.Batching.Simulation;

namespace Rafiki.Batching.Tests;

public class LatencyFunctionTests
{
    [Fact]
    public void Linear_latency_noise_keeps_mean()
    {
        var latency = new LinearBatchLatency(fixedMs: 2, perRequestMs: 0.25, noiseSigma: 0.2);
        var random = new Random(1);

        var mean = Enumerable.Range(0, 20_000).Average(_ => latency.SampleMs(8, random));

        Assert.Equal(4, latency.MeanMs(8));
        Assert.InRange(mean, 3.95, 4.05);
    }

    [Fact]
    public void Zero_noise_gives_mean_exactly()
    {
        var latency = new LinearBatchLatency(noiseSigma: 0);

        Assert.Equal(18, latency.SampleMs(64, new Random(1)));
    }

    [Fact]
    public void Measured_latency_interpolates_measurements()
    {
        var latency = new MeasuredBatchLatency(new Dictionary<int, double> { [1] = 2, [4] = 8 }, noiseSigma: 0);

        Assert.Equal(4, latency.MeanMs(2));
        Assert.Equal(8, latency.SampleMs(4, new Random(1)));
    }

    [Fact]
    public void Simulated_warmup_measures_each_size()
    {
        var latency = new LinearBatchLatency(noiseSigma: 0.1);

        var warmup = SimulatedWarmup.Measure(latency, 16, runs: 50, percentile: 0.95, new Random(2));

        Assert.Equal(BatchLatencyModel.WarmupBatchSizes(16), warmup.Keys.Order());
        foreach (var (size, latencyMs) in warmup)
        {
            // The p95 of log-normal noise with sigma 0.1 lies about 17% above the mean.
            Assert.InRange(latencyMs / latency.MeanMs(size), 1.05, 1.35);
        }
    }
}
