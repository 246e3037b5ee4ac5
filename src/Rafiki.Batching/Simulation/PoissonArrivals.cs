namespace Rafiki.Batching.Simulation;

/// <summary>A Poisson process: independent, exponentially distributed gaps between arrivals.</summary>
public sealed class PoissonArrivals : IArrivalProcess
{
    /// <param name="ratePerSecond">Arrival rate in requests per second, above 0.</param>
    public PoissonArrivals(double ratePerSecond)
    {
        ArrivalRates.RequirePositive(ratePerSecond, nameof(ratePerSecond));
        MeanRatePerSecond = ratePerSecond;
    }

    /// <inheritdoc />
    public string Name => "poisson";

    /// <inheritdoc />
    public double MeanRatePerSecond { get; }

    /// <inheritdoc />
    public IEnumerable<double> ArrivalTimesMs(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Generate(random);
    }

    private IEnumerable<double> Generate(Random random)
    {
        var ratePerMs = MeanRatePerSecond / 1000;
        var timeMs = 0.0;
        while (true)
        {
            timeMs += ArrivalRates.ExponentialMs(random, ratePerMs);
            yield return timeMs;
        }
    }
}
