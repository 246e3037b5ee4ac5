using Rafiki.Batching.Simulation;

namespace Rafiki.Bench.Batching;

/// <summary>The four arrival processes of the bench, scaled to the simulated model's capacity.</summary>
internal static class Workloads
{
    /// <summary>Load of the constant and Poisson workloads, as a fraction of capacity.</summary>
    public const double SteadyLoad = 0.8;

    /// <summary>Peak of the sine workload as a fraction of capacity: the model is overloaded near each crest.</summary>
    public const double SinePeakLoad = 1.1;

    /// <summary>Trough of the sine workload as a fraction of capacity.</summary>
    public const double SineTroughLoad = 0.1;

    /// <summary>Length of one sine cycle.</summary>
    public const double SinePeriodMs = 20_000;

    /// <summary>Returns the workloads for a model that serves at most <paramref name="capacityPerSecond"/>.</summary>
    public static IReadOnlyList<IArrivalProcess> Create(double capacityPerSecond) =>
    [
        new ConstantArrivals(SteadyLoad * capacityPerSecond),
        new PoissonArrivals(SteadyLoad * capacityPerSecond),

        // Bursts at 1.5x capacity for 0.5 s on average, 0.3x for 1.5 s between them: 0.6x capacity on average.
        new MarkovModulatedArrivals(
            burstRatePerSecond: 1.5 * capacityPerSecond,
            quietRatePerSecond: 0.3 * capacityPerSecond,
            meanBurstMs: 500,
            meanQuietMs: 1500),
        new SineArrivals(
            meanRatePerSecond: (SinePeakLoad + SineTroughLoad) / 2 * capacityPerSecond,
            amplitudePerSecond: (SinePeakLoad - SineTroughLoad) / 2 * capacityPerSecond,
            periodMs: SinePeriodMs),
    ];

    /// <summary>Returns one line that describes a workload relative to capacity.</summary>
    public static string Describe(IArrivalProcess arrivals, double capacityPerSecond)
    {
        string Load(double ratePerSecond) =>
            $"{ratePerSecond / capacityPerSecond:0.##}x capacity ({ratePerSecond:0} req/s)";

        return arrivals switch
        {
            SineArrivals sine => $"Poisson arrivals whose rate follows a sine from "
                + $"{Load(sine.MeanRatePerSecond - sine.AmplitudePerSecond)} to {Load(sine.PeakRatePerSecond)}, "
                + $"period {sine.PeriodMs / 1000:0.#} s",
            MarkovModulatedArrivals bursty => $"Two-state Markov-modulated Poisson arrivals: bursts at "
                + $"{Load(bursty.BurstRatePerSecond)} lasting {bursty.MeanBurstMs:0} ms on average, "
                + $"{Load(bursty.QuietRatePerSecond)} for {bursty.MeanQuietMs:0} ms on average between them, "
                + $"mean {Load(bursty.MeanRatePerSecond)}",
            PoissonArrivals => $"Poisson arrivals at {Load(arrivals.MeanRatePerSecond)}",
            _ => $"One arrival every {1000 / arrivals.MeanRatePerSecond:0.###} ms, "
                + $"{Load(arrivals.MeanRatePerSecond)}",
        };
    }
}
