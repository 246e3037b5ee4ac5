using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Simulation;

/// <summary>
/// Batch latency interpolated linearly between measured batch sizes, times log-normal noise with mean 1. Use it to
/// simulate a real model from its warm-up measurements.
/// </summary>
public sealed class MeasuredBatchLatency : IBatchLatencyFunction
{
    private readonly int[] _sizes;
    private readonly double[] _latenciesMs;

    /// <param name="latenciesMs">Measured latency of each batch size, such as the warm-up results.</param>
    /// <param name="noiseSigma">Sigma of the log-normal noise; 0 for none.</param>
    public MeasuredBatchLatency(IReadOnlyDictionary<int, double> latenciesMs, double noiseSigma = 0.1)
    {
        LatencyNoise.RequireValidSigma(noiseSigma, nameof(noiseSigma));
        (_sizes, _latenciesMs) = LatencyCurve.FromMeasurements(latenciesMs, nameof(latenciesMs));
        NoiseSigma = noiseSigma;
    }

    /// <summary>Sigma of the log-normal noise.</summary>
    public double NoiseSigma { get; }

    /// <inheritdoc />
    public string Description =>
        $"measured at b = {string.Join(", ", _sizes)}, log-normal noise sigma {NoiseSigma}";

    /// <inheritdoc />
    public double MeanMs(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return LatencyCurve.Interpolate(_sizes, _latenciesMs, batchSize);
    }

    /// <inheritdoc />
    public double SampleMs(int batchSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return MeanMs(batchSize) * LatencyNoise.Factor(NoiseSigma, random);
    }
}
