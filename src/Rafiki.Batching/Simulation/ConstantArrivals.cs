namespace Rafiki.Batching.Simulation;

/// <summary>Arrivals at a fixed interval: one every 1000 / rate milliseconds.</summary>
public sealed class ConstantArrivals : IArrivalProcess
{
    /// <param name="ratePerSecond">Arrival rate in requests per second, above 0.</param>
    public ConstantArrivals(double ratePerSecond)
    {
        ArrivalRates.RequirePositive(ratePerSecond, nameof(ratePerSecond));
        MeanRatePerSecond = ratePerSecond;
    }

    /// <inheritdoc />
    public string Name => "constant";

    /// <inheritdoc />
    public double MeanRatePerSecond { get; }

    /// <inheritdoc />
    public IEnumerable<double> ArrivalTimesMs(Random random)
    {
        var intervalMs = 1000 / MeanRatePerSecond;
        for (long i = 1; ; i++)
        {
            // Multiplying instead of summing keeps rounding errors from piling up over long runs.
            yield return i * intervalMs;
        }
    }
}
