namespace Rafiki.Batching.Simulation;

/// <summary>
/// Poisson arrivals whose rate follows a sine wave:
/// <c>rate(t) = mean + amplitude * sin(2 * pi * t / period)</c>. Arrivals are drawn by thinning: candidates at
/// the peak rate, each kept with probability rate(t) / peak.
/// </summary>
public sealed class SineArrivals : IArrivalProcess
{
    /// <param name="meanRatePerSecond">Mean arrival rate, above 0.</param>
    /// <param name="amplitudePerSecond">Swing around the mean, from 0 up to the mean so the rate stays
    /// non-negative.</param>
    /// <param name="periodMs">Length of one cycle.</param>
    public SineArrivals(double meanRatePerSecond, double amplitudePerSecond, double periodMs)
    {
        ArrivalRates.RequirePositive(meanRatePerSecond, nameof(meanRatePerSecond));
        ArrivalRates.RequireNonNegative(amplitudePerSecond, nameof(amplitudePerSecond));
        ArrivalRates.RequirePositive(periodMs, nameof(periodMs));
        if (amplitudePerSecond > meanRatePerSecond)
        {
            throw new ArgumentException(
                $"amplitudePerSecond is {amplitudePerSecond} but meanRatePerSecond is {meanRatePerSecond}; "
                + "use an amplitude no larger than the mean so the rate never drops below 0.",
                nameof(amplitudePerSecond));
        }

        MeanRatePerSecond = meanRatePerSecond;
        AmplitudePerSecond = amplitudePerSecond;
        PeriodMs = periodMs;
    }

    /// <inheritdoc />
    public string Name => "sine";

    /// <inheritdoc />
    public double MeanRatePerSecond { get; }

    /// <summary>Swing of the rate around the mean, in requests per second.</summary>
    public double AmplitudePerSecond { get; }

    /// <summary>Length of one cycle.</summary>
    public double PeriodMs { get; }

    /// <summary>Highest arrival rate, in requests per second.</summary>
    public double PeakRatePerSecond => MeanRatePerSecond + AmplitudePerSecond;

    /// <summary>Returns the arrival rate at <paramref name="timeMs"/>, in requests per second.</summary>
    public double RatePerSecondAt(double timeMs) =>
        MeanRatePerSecond + (AmplitudePerSecond * Math.Sin(2 * Math.PI * timeMs / PeriodMs));

    /// <inheritdoc />
    public IEnumerable<double> ArrivalTimesMs(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Generate(random);
    }

    private IEnumerable<double> Generate(Random random)
    {
        var peakPerMs = PeakRatePerSecond / 1000;
        var timeMs = 0.0;
        while (true)
        {
            timeMs += ArrivalRates.ExponentialMs(random, peakPerMs);
            if (random.NextDouble() * PeakRatePerSecond < RatePerSecondAt(timeMs))
            {
                yield return timeMs;
            }
        }
    }
}
