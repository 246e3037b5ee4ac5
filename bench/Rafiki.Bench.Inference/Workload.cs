using Rafiki.Batching.Simulation;

namespace Rafiki.Bench.Inference;

/// <summary>One arrival process of the bench, its arrival period and a sentence that describes it.</summary>
internal sealed record Workload(string Name, IArrivalProcess Arrivals, double DurationMs, string Description)
{
    /// <summary>Names of every workload, in the order they run.</summary>
    public static IReadOnlyList<string> Names { get; } = ["saturation", "constant", "poisson", "bursty", "sine"];

    /// <summary>Capacity that the rates are relative to: the model alone at its best batch size, measured just
    /// before the workload ran.</summary>
    public double CapacityPerSecond { get; init; }

    /// <summary>Load of the constant and Poisson workloads, as a fraction of capacity.</summary>
    public const double SteadyLoad = 0.8;

    /// <summary>Load of the saturation workload: more than the model can serve, so the queue never empties.</summary>
    public const double SaturationLoad = 1.5;

    /// <summary>Peak of the sine workload as a fraction of capacity.</summary>
    public const double SinePeakLoad = 1.1;

    /// <summary>Trough of the sine workload as a fraction of capacity.</summary>
    public const double SineTroughLoad = 0.1;

    /// <summary>Returns the named workloads, with rates relative to <paramref name="capacityPerSecond"/>.</summary>
    public static IReadOnlyList<Workload> Create(double capacityPerSecond, BenchSettings settings)
    {
        string Load(double ratePerSecond) =>
            $"{ratePerSecond / capacityPerSecond:0.##}x capacity ({ratePerSecond:0} req/s)";

        var steady = SteadyLoad * capacityPerSecond;
        var sineMean = (SinePeakLoad + SineTroughLoad) / 2 * capacityPerSecond;
        var sineAmplitude = (SinePeakLoad - SineTroughLoad) / 2 * capacityPerSecond;
        var all = new List<Workload>
        {
            new("saturation", new ConstantArrivals(SaturationLoad * capacityPerSecond), settings.SteadyDurationMs,
                $"Constant arrivals at {Load(SaturationLoad * capacityPerSecond)}, more than the model can serve"),
            new("constant", new ConstantArrivals(steady), settings.SteadyDurationMs,
                $"One arrival every {1000 / steady:0.###} ms, {Load(steady)}"),
            new("poisson", new PoissonArrivals(steady), settings.SteadyDurationMs, $"Poisson arrivals at {Load(steady)}"),
            new("bursty",
                new MarkovModulatedArrivals(1.5 * capacityPerSecond, 0.3 * capacityPerSecond, meanBurstMs: 500, meanQuietMs: 1500),
                settings.SteadyDurationMs,
                $"Two-state Markov-modulated Poisson arrivals: bursts at {Load(1.5 * capacityPerSecond)} lasting 500 ms on "
                + $"average, {Load(0.3 * capacityPerSecond)} for 1500 ms on average between them"),
            new("sine", new SineArrivals(sineMean, sineAmplitude, settings.SinePeriodMs), settings.SineDurationMs,
                $"Poisson arrivals whose rate follows a sine from {Load(sineMean - sineAmplitude)} to "
                + $"{Load(sineMean + sineAmplitude)}, period {settings.SinePeriodMs / 1000:0.#} s"),
        };
        return [.. all.Where(workload => settings.Workloads.Contains(workload.Name))
            .Select(workload => workload with { CapacityPerSecond = capacityPerSecond })];
    }

    /// <summary>Returns the arrival times in milliseconds within the arrival period; the same seed gives the same times.</summary>
    public double[] ArrivalTimesMs(int seed) =>
        [.. Arrivals.ArrivalTimesMs(new Random(seed)).TakeWhile(timeMs => timeMs <= DurationMs)];
}
