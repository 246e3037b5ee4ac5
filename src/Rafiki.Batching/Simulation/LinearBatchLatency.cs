namespace Rafiki.Batching.Simulation;

/// <summary>
/// Batch latency <c>c(b) = fixed + perRequest * b</c> milliseconds, times log-normal noise with mean 1. The default
/// of 2 ms + 0.25 ms per request is a rough CPU-like model, not a measurement.
/// </summary>
public sealed class LinearBatchLatency : IBatchLatencyFunction
{
    /// <param name="fixedMs">Latency of the batch itself, whatever its size.</param>
    /// <param name="perRequestMs">Latency added by each request in the batch.</param>
    /// <param name="noiseSigma">Sigma of the log-normal noise; 0.1 gives about 10% spread.</param>
    public LinearBatchLatency(double fixedMs = 2, double perRequestMs = 0.25, double noiseSigma = 0.1)
    {
        ArrivalRates.RequireNonNegative(fixedMs, nameof(fixedMs));
        ArrivalRates.RequireNonNegative(perRequestMs, nameof(perRequestMs));
        if (fixedMs + perRequestMs <= 0)
        {
            throw new ArgumentException(
                "fixedMs and perRequestMs are both 0; give at least one of them a value above 0.", nameof(fixedMs));
        }

        LatencyNoise.RequireValidSigma(noiseSigma, nameof(noiseSigma));
        FixedMs = fixedMs;
        PerRequestMs = perRequestMs;
        NoiseSigma = noiseSigma;
    }

    /// <summary>Latency of the batch itself, whatever its size.</summary>
    public double FixedMs { get; }

    /// <summary>Latency added by each request in the batch.</summary>
    public double PerRequestMs { get; }

    /// <summary>Sigma of the log-normal noise.</summary>
    public double NoiseSigma { get; }

    /// <inheritdoc />
    public string Description => $"{FixedMs} ms + {PerRequestMs} ms * b, log-normal noise sigma {NoiseSigma}";

    /// <inheritdoc />
    public double MeanMs(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return FixedMs + (PerRequestMs * batchSize);
    }

    /// <inheritdoc />
    public double SampleMs(int batchSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return MeanMs(batchSize) * LatencyNoise.Factor(NoiseSigma, random);
    }
}
