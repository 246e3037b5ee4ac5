using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Tests;

public class BatchLatencyModelTests
{
    private static readonly Dictionary<int, double> Warmup = new() { [1] = 2, [2] = 3, [4] = 5, [8] = 9 };

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    [InlineData(6, 7)]
    [InlineData(8, 9)]
    public void Model_interpolates_between_warmup_sizes(int batchSize, double expectedMs)
    {
        var model = new BatchLatencyModel(Warmup);

        Assert.Equal(expectedMs, model.EstimateMs(batchSize), precision: 9);
    }

    [Fact]
    public void Model_extends_last_segment_beyond_largest()
    {
        var model = new BatchLatencyModel(Warmup);

        Assert.Equal(11, model.EstimateMs(10), precision: 9);
    }

    [Fact]
    public void Model_uses_smallest_size_below_it()
    {
        var model = new BatchLatencyModel(new Dictionary<int, double> { [4] = 5, [8] = 9 });

        Assert.Equal(5, model.EstimateMs(1));
    }

    [Fact]
    public void Single_measurement_scales_with_size()
    {
        var model = new BatchLatencyModel(new Dictionary<int, double> { [4] = 8 });

        Assert.Equal(8, model.EstimateMs(2));
        Assert.Equal(16, model.EstimateMs(8));
    }

    [Fact]
    public void Noisy_warmup_is_made_non_decreasing()
    {
        var model = new BatchLatencyModel(new Dictionary<int, double> { [1] = 2, [2] = 4, [4] = 3, [8] = 9 });

        Assert.Equal(4, model.EstimateMs(4));
        Assert.Equal(4, model.EstimateMs(3));
        for (var size = 2; size <= 8; size++)
        {
            Assert.True(model.EstimateMs(size) >= model.EstimateMs(size - 1), $"c({size}) < c({size - 1})");
        }
    }

    [Fact]
    public void Estimate_keeps_warmup_until_min_samples()
    {
        var model = new BatchLatencyModel(Warmup, new BatchLatencyModelOptions(MinSamples: 3));

        model.Observe(4, 20);
        model.Observe(4, 20);

        Assert.Equal(5, model.EstimateMs(4));
        Assert.Equal(2, model.ObservationCount(4));
    }

    [Fact]
    public void Estimate_rises_when_batches_slow_down()
    {
        var model = new BatchLatencyModel(Warmup, new BatchLatencyModelOptions(MinSamples: 3));

        model.Observe(4, 20);
        model.Observe(4, 20);
        model.Observe(4, 20);

        Assert.Equal(20, model.EstimateMs(4));

        // Larger sizes are lifted so the curve stays non-decreasing; smaller ones keep their warm-up values.
        Assert.Equal(20, model.EstimateMs(8));
        Assert.Equal(3, model.EstimateMs(2));
    }

    [Fact]
    public void Estimate_is_high_percentile_of_window()
    {
        var model = new BatchLatencyModel(Warmup, new BatchLatencyModelOptions(0.95, WindowSize: 20, MinSamples: 20));

        // Latencies 1..20 ms: the nearest-rank p95 of 20 values is the 19th, 19 ms.
        for (var latencyMs = 1; latencyMs <= 20; latencyMs++)
        {
            model.Observe(8, latencyMs);
        }

        Assert.Equal(19, model.EstimateMs(8));
    }

    [Fact]
    public void Window_forgets_old_observations()
    {
        var model = new BatchLatencyModel(Warmup, new BatchLatencyModelOptions(WindowSize: 4, MinSamples: 4));
        for (var i = 0; i < 4; i++)
        {
            model.Observe(8, 30);
        }

        var busy = model.EstimateMs(8);
        for (var i = 0; i < 4; i++)
        {
            model.Observe(8, 10);
        }

        Assert.Equal(30, busy);
        Assert.Equal(10, model.EstimateMs(8));
        Assert.Equal(4, model.ObservationCount(8));
    }

    [Fact]
    public void Observation_goes_to_nearest_bucket_rescaled()
    {
        // Size 3 is nearer to 4 than to 2 in log scale. On the warm-up curve c(3) = 4 and c(4) = 5, so an observed
        // 8 ms at size 3 is stored as 10 ms at size 4.
        var model = new BatchLatencyModel(Warmup, new BatchLatencyModelOptions(MinSamples: 1));

        model.Observe(3, 8);

        Assert.Equal(1, model.ObservationCount(4));
        Assert.Equal(0, model.ObservationCount(2));
        Assert.Equal(10, model.EstimateMs(4), precision: 9);
    }

    [Fact]
    public void Warmup_sizes_are_powers_then_bmax()
    {
        Assert.Equal([1, 2, 4, 8, 16, 32, 48], BatchLatencyModel.WarmupBatchSizes(48));
        Assert.Equal([1, 2, 4], BatchLatencyModel.WarmupBatchSizes(4));
        Assert.Equal([1], BatchLatencyModel.WarmupBatchSizes(1));
    }

    [Fact]
    public void Model_loads_warmup_json()
    {
        var model = BatchLatencyModel.FromJson("""{ "1": 2.0, "2": 3.0, "4": 5.0 }""");

        Assert.Equal([1, 2, 4], model.BucketSizes);
        Assert.Equal(4, model.EstimateMs(3), precision: 9);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("""{ "one": 2.0 }""")]
    [InlineData("""{ "1": "fast" }""")]
    [InlineData("null")]
    public void Malformed_json_explains_expected_form(string json)
    {
        var error = Assert.Throws<FormatException>(() => BatchLatencyModel.FromJson(json));

        Assert.Contains("{ \"1\": 2.3, \"8\": 4.1 }", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 2.0, "Batch size 0 is invalid; batch sizes start at 1.")]
    [InlineData(4, 0.0, "Latency 0 ms for batch size 4 is invalid; give a finite latency above 0 ms.")]
    [InlineData(4, double.NaN, "Latency NaN ms for batch size 4 is invalid")]
    public void Invalid_warmup_names_size_and_latency(int size, double latencyMs, string expected)
    {
        var error = Assert.Throws<ArgumentException>(
            () => new BatchLatencyModel(new Dictionary<int, double> { [size] = latencyMs }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_warmup_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchLatencyModel(new Dictionary<int, double>()));

        Assert.Contains("No batch latencies were given", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_observation_is_rejected()
    {
        var model = new BatchLatencyModel(Warmup);

        var error = Assert.Throws<ArgumentException>(() => model.Observe(2, double.NaN));

        Assert.Contains("Observed latency NaN ms for batch size 2 is invalid", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 16, 8, "Percentile is 0, which is invalid")]
    [InlineData(0.95, 0, 1, "WindowSize is 0, which is invalid")]
    [InlineData(0.95, 8, 9, "MinSamples is 9, which is invalid; use a count from 1 to WindowSize (8).")]
    public void Invalid_model_options_are_rejected(double percentile, int window, int minSamples, string expected)
    {
        var options = new BatchLatencyModelOptions(percentile, window, minSamples);

        var error = Assert.Throws<ArgumentException>(() => new BatchLatencyModel(Warmup, options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
