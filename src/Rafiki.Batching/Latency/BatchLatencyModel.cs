using System.Text.Json;

namespace Rafiki.Batching.Latency;

/// <summary>
/// Estimates c(b), the latency of a batch of b requests in milliseconds, from warm-up measurements and from the
/// latencies of the batches run since. Each measured batch size is a bucket. A bucket's estimate is its warm-up
/// measurement until it has <see cref="BatchLatencyModelOptions.MinSamples"/> observations, and after that a high
/// percentile of its most recent observations, so the estimate rises when the machine gets busier and falls back
/// when it recovers. Sizes between buckets are interpolated linearly.
/// </summary>
/// <remarks>
/// Not thread-safe: one owner, such as the router actor, records observations and reads estimates.
/// </remarks>
public sealed class BatchLatencyModel : IBatchLatencyModel
{
    private readonly int[] _sizes;
    private readonly double[] _warmupMs;
    private readonly SlidingWindow[] _windows;
    private readonly double[] _estimatesMs;
    private readonly BatchLatencyModelOptions _options;
    private bool _estimatesStale;

    /// <param name="warmupLatenciesMs">
    /// Latency of each warm-up batch size, such as the p95 of a few runs at 1, 2, 4, ..., Bmax. Include size 1,
    /// because sizes below the smallest one are estimated with its latency. The curve is lifted to be
    /// non-decreasing in the batch size.
    /// </param>
    /// <param name="options">Percentile and window settings; the defaults when null.</param>
    /// <exception cref="ArgumentException">There are no measurements, a size is below 1, or a latency is not a
    /// finite number above 0.</exception>
    public BatchLatencyModel(
        IReadOnlyDictionary<int, double> warmupLatenciesMs, BatchLatencyModelOptions? options = null)
    {
        _options = options ?? new BatchLatencyModelOptions();
        _options.Validate();
        (_sizes, _warmupMs) = LatencyCurve.FromMeasurements(warmupLatenciesMs, nameof(warmupLatenciesMs));
        _windows = _sizes.Select(_ => new SlidingWindow(_options.WindowSize)).ToArray();
        _estimatesMs = (double[])_warmupMs.Clone();
    }

    /// <summary>Measured batch sizes, ascending; each is the centre of one bucket.</summary>
    public IReadOnlyList<int> BucketSizes => _sizes;

    /// <summary>
    /// Returns the batch sizes to measure during warm-up: the powers of two below <paramref name="maxBatchSize"/>,
    /// then <paramref name="maxBatchSize"/> itself.
    /// </summary>
    public static IReadOnlyList<int> WarmupBatchSizes(int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        var sizes = new List<int>();
        for (var size = 1; size < maxBatchSize; size *= 2)
        {
            sizes.Add(size);
        }

        sizes.Add(maxBatchSize);
        return sizes;
    }

    /// <summary>
    /// Creates a model from a JSON object that maps batch size to warm-up latency in milliseconds, such as
    /// <c>{ "1": 2.3, "2": 2.6, "4": 3.1 }</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is not such an object.</exception>
    /// <exception cref="ArgumentException">A size or latency is invalid.</exception>
    public static BatchLatencyModel FromJson(string json, BatchLatencyModelOptions? options = null) =>
        new(ParseWarmupJson(json), options);

    /// <summary>Parses a JSON object that maps batch size to latency in milliseconds.</summary>
    /// <exception cref="FormatException">The text is not such an object.</exception>
    public static IReadOnlyDictionary<int, double> ParseWarmupJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<Dictionary<int, double>>(json)
                ?? throw new FormatException("Warm-up latencies are JSON null; expected an object such as "
                    + "{ \"1\": 2.3, \"8\": 4.1 } that maps batch size to latency in ms.");
        }
        catch (JsonException error)
        {
            throw new FormatException(
                $"Warm-up latencies are not valid JSON of the form {{ \"1\": 2.3, \"8\": 4.1 }} "
                + $"(batch size to latency in ms): {error.Message}",
                error);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    public double EstimateMs(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (_estimatesStale)
        {
            RefreshEstimates();
        }

        return LatencyCurve.Interpolate(_sizes, _estimatesMs, batchSize);
    }

    /// <summary>Returns the latency of <paramref name="batchSize"/> on the warm-up curve alone.</summary>
    public double WarmupEstimateMs(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return LatencyCurve.Interpolate(_sizes, _warmupMs, batchSize);
    }

    /// <summary>
    /// Records the observed latency of one batch. The observation goes to the bucket nearest in log scale and is
    /// first rescaled along the warm-up curve to that bucket's size, which assumes the curve keeps its shape between
    /// neighbouring buckets while its level changes.
    /// </summary>
    /// <exception cref="ArgumentException">The size is below 1 or the latency is not a finite number of 0 or
    /// more.</exception>
    public void Observe(int batchSize, double latencyMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (!(latencyMs >= 0) || double.IsInfinity(latencyMs))
        {
            throw new ArgumentException(
                $"Observed latency {latencyMs} ms for batch size {batchSize} is invalid; "
                + "pass the finite time from dispatch to results.",
                nameof(latencyMs));
        }

        var bucket = NearestBucket(batchSize);
        var scale = WarmupEstimateMs(_sizes[bucket]) / WarmupEstimateMs(batchSize);
        _windows[bucket].Add(latencyMs * scale);
        _estimatesStale = true;
    }

    /// <summary>Returns the number of observations the bucket of <paramref name="bucketSize"/> keeps now.</summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="bucketSize"/> is not one of <see cref="BucketSizes"/>.
    /// </exception>
    public int ObservationCount(int bucketSize)
    {
        var bucket = Array.BinarySearch(_sizes, bucketSize);
        if (bucket < 0)
        {
            throw new ArgumentException(
                $"Batch size {bucketSize} is not a bucket; use one of {string.Join(", ", _sizes)}.",
                nameof(bucketSize));
        }

        return _windows[bucket].Count;
    }

    private int NearestBucket(int batchSize)
    {
        var best = 0;
        var bestDistance = double.PositiveInfinity;
        var logSize = Math.Log(batchSize);
        for (var i = 0; i < _sizes.Length; i++)
        {
            // Ties go to the larger bucket because the loop visits sizes in ascending order and uses <=.
            var distance = Math.Abs(Math.Log(_sizes[i]) - logSize);
            if (distance <= bestDistance)
            {
                best = i;
                bestDistance = distance;
            }
        }

        return best;
    }

    private void RefreshEstimates()
    {
        for (var i = 0; i < _sizes.Length; i++)
        {
            var window = _windows[i];
            _estimatesMs[i] = window.Count >= _options.MinSamples
                ? window.Percentile(_options.Percentile)
                : _warmupMs[i];
        }

        LatencyCurve.MakeNonDecreasing(_estimatesMs);
        _estimatesStale = false;
    }
}
