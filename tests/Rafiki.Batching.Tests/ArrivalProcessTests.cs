using Rafiki.Batching.Simulation;

namespace Rafiki.Batching.Tests;

public class ArrivalProcessTests
{
    private const double HorizonMs = 100_000;

    private static double[] Generate(IArrivalProcess process, int seed = 3, double horizonMs = HorizonMs) =>
        process.ArrivalTimesMs(new Random(seed)).TakeWhile(timeMs => timeMs <= horizonMs).ToArray();

    [Fact]
    public void Constant_arrivals_are_evenly_spaced()
    {
        var arrivals = Generate(new ConstantArrivals(200)).Take(4).ToArray();

        Assert.Equal([5.0, 10.0, 15.0, 20.0], arrivals);
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void Arrivals_match_mean_rate(IArrivalProcess process)
    {
        // Bursts last 0.5 s and quiet periods 1.5 s on average, so a long horizon is needed for the mean to settle.
        const double horizonMs = 1_000_000;
        var arrivals = Generate(process, horizonMs: horizonMs);
        var ratePerSecond = arrivals.Length * 1000 / horizonMs;

        Assert.InRange(ratePerSecond, 0.95 * process.MeanRatePerSecond, 1.05 * process.MeanRatePerSecond);
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void Arrivals_are_ordered_and_positive(IArrivalProcess process)
    {
        var arrivals = Generate(process);

        Assert.True(arrivals[0] > 0);
        for (var i = 1; i < arrivals.Length; i++)
        {
            Assert.True(arrivals[i] >= arrivals[i - 1], $"arrival {i} at {arrivals[i]} ms is out of order");
        }
    }

    [Theory]
    [MemberData(nameof(Processes))]
    public void Same_seed_gives_same_arrivals(IArrivalProcess process)
    {
        Assert.Equal(Generate(process, seed: 5), Generate(process, seed: 5));
    }

    [Fact]
    public void Sine_rate_follows_the_wave()
    {
        // Period 20 s: the first quarter-cycle around 5 s is the peak, the one around 15 s the trough.
        var sine = new SineArrivals(meanRatePerSecond: 1000, amplitudePerSecond: 800, periodMs: 20_000);
        var arrivals = Generate(sine);

        var nearPeak = arrivals.Count(timeMs => timeMs is >= 4_000 and < 6_000);
        var nearTrough = arrivals.Count(timeMs => timeMs is >= 14_000 and < 16_000);

        Assert.Equal(1800, sine.PeakRatePerSecond);
        Assert.InRange(nearPeak, 3300, 3700);
        Assert.InRange(nearTrough, 300, 500);
    }

    [Fact]
    public void Bursty_arrivals_cluster_in_bursts()
    {
        // Counts per 100 ms window vary far more than a Poisson process's with the same mean.
        var bursty = Generate(new MarkovModulatedArrivals(2000, 100, 500, 1500));
        var poisson = Generate(new PoissonArrivals(575));

        Assert.True(WindowVariance(bursty) > 10 * WindowVariance(poisson));
    }

    [Fact]
    public void Sine_amplitude_above_mean_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SineArrivals(100, 150, 1000));

        Assert.Contains("use an amplitude no larger than the mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_positive_rate_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PoissonArrivals(0));

        Assert.Contains("ratePerSecond is 0, which is invalid", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<IArrivalProcess> Processes => new()
    {
        new ConstantArrivals(300),
        new PoissonArrivals(300),
        new MarkovModulatedArrivals(1200, 100, 500, 1500),
        new SineArrivals(300, 250, 10_000),
    };

    private static double WindowVariance(double[] arrivalsMs)
    {
        var counts = new double[(int)(HorizonMs / 100)];
        foreach (var timeMs in arrivalsMs)
        {
            counts[Math.Min((int)(timeMs / 100), counts.Length - 1)]++;
        }

        var mean = counts.Average();
        return counts.Average(count => (count - mean) * (count - mean));
    }
}
