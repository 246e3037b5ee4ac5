namespace Rafiki.Batching.Simulation;

/// <summary>
/// Bursty arrivals from a two-state Markov-modulated Poisson process: Poisson arrivals at a high rate during bursts
/// and at a low rate between them. Burst and quiet periods last exponentially distributed times. The process starts
/// quiet.
/// </summary>
public sealed class MarkovModulatedArrivals : IArrivalProcess
{
    /// <param name="burstRatePerSecond">Arrival rate during a burst, above 0.</param>
    /// <param name="quietRatePerSecond">Arrival rate between bursts; 0 gives on/off traffic.</param>
    /// <param name="meanBurstMs">Mean length of a burst.</param>
    /// <param name="meanQuietMs">Mean time between bursts.</param>
    public MarkovModulatedArrivals(
        double burstRatePerSecond, double quietRatePerSecond, double meanBurstMs, double meanQuietMs)
    {
        ArrivalRates.RequirePositive(burstRatePerSecond, nameof(burstRatePerSecond));
        ArrivalRates.RequireNonNegative(quietRatePerSecond, nameof(quietRatePerSecond));
        ArrivalRates.RequirePositive(meanBurstMs, nameof(meanBurstMs));
        ArrivalRates.RequirePositive(meanQuietMs, nameof(meanQuietMs));
        BurstRatePerSecond = burstRatePerSecond;
        QuietRatePerSecond = quietRatePerSecond;
        MeanBurstMs = meanBurstMs;
        MeanQuietMs = meanQuietMs;
    }

    /// <inheritdoc />
    public string Name => "bursty";

    /// <summary>Arrival rate during a burst, in requests per second.</summary>
    public double BurstRatePerSecond { get; }

    /// <summary>Arrival rate between bursts, in requests per second.</summary>
    public double QuietRatePerSecond { get; }

    /// <summary>Mean length of a burst.</summary>
    public double MeanBurstMs { get; }

    /// <summary>Mean time between bursts.</summary>
    public double MeanQuietMs { get; }

    /// <inheritdoc />
    public double MeanRatePerSecond =>
        ((BurstRatePerSecond * MeanBurstMs) + (QuietRatePerSecond * MeanQuietMs)) / (MeanBurstMs + MeanQuietMs);

    /// <inheritdoc />
    public IEnumerable<double> ArrivalTimesMs(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Generate(random);
    }

    private IEnumerable<double> Generate(Random random)
    {
        var timeMs = 0.0;
        var bursting = false;
        while (true)
        {
            var periodEndMs = timeMs + ArrivalRates.ExponentialMs(random, 1 / (bursting ? MeanBurstMs : MeanQuietMs));
            var ratePerMs = (bursting ? BurstRatePerSecond : QuietRatePerSecond) / 1000;
            if (ratePerMs > 0)
            {
                // The exponential gap is memoryless, so drawing afresh at each period boundary is exact.
                var nextMs = timeMs + ArrivalRates.ExponentialMs(random, ratePerMs);
                while (nextMs < periodEndMs)
                {
                    yield return nextMs;
                    nextMs += ArrivalRates.ExponentialMs(random, ratePerMs);
                }
            }

            timeMs = periodEndMs;
            bursting = !bursting;
        }
    }
}
