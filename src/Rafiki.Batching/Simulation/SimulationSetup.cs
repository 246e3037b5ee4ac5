using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Simulation;

/// <summary>One simulated run: a policy, its settings, the traffic and the simulated model.</summary>
/// <param name="PolicyName">One of <see cref="BatchingPolicies.All"/>.</param>
/// <param name="Options">Batching settings.</param>
/// <param name="Arrivals">The traffic.</param>
/// <param name="Latency">The simulated model's true batch latency.</param>
/// <param name="DurationMs">Virtual time during which requests arrive. The run then continues without arrivals
/// until every accepted request has ended.</param>
/// <param name="Seed">Seed of every random draw; the same setup and seed give the same report.</param>
public sealed record SimulationSetup(
    string PolicyName,
    BatchingOptions Options,
    IArrivalProcess Arrivals,
    IBatchLatencyFunction Latency,
    double DurationMs,
    int Seed)
{
    /// <summary>Width of each time-series window.</summary>
    public double WindowMs { get; init; } = 1000;

    /// <summary>
    /// Granularity of the router's timer: a wake-up fires at the next multiple of it, as with a tick-based
    /// scheduler such as Akka.NET's. 0 fires exactly on time.
    /// </summary>
    public double TimerResolutionMs { get; init; }

    /// <summary>
    /// Batches per size in the simulated warm-up that seeds the latency model, or 0 to seed it with the true mean
    /// latencies instead.
    /// </summary>
    public int WarmupRuns { get; init; } = 20;

    /// <summary>Settings of the latency model the policy plans with.</summary>
    public BatchLatencyModelOptions LatencyModelOptions { get; init; } = new();

    /// <summary>
    /// Throws <see cref="ArgumentException"/> that names the first invalid setting, its value and the fix.
    /// </summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Options);
        ArgumentNullException.ThrowIfNull(Arrivals);
        ArgumentNullException.ThrowIfNull(Latency);
        ArgumentNullException.ThrowIfNull(LatencyModelOptions);
        if (!BatchingPolicies.All.Contains(PolicyName))
        {
            throw new ArgumentException(
                $"Batching policy '{PolicyName}' is unknown; use one of {string.Join(", ", BatchingPolicies.All)}.",
                nameof(PolicyName));
        }

        Options.Validate();
        LatencyModelOptions.Validate();
        RequirePositive(DurationMs, nameof(DurationMs), "give the arrival period in virtual milliseconds");
        RequirePositive(WindowMs, nameof(WindowMs), "give the time-series window in milliseconds");
        if (!(TimerResolutionMs >= 0) || double.IsInfinity(TimerResolutionMs))
        {
            throw new ArgumentException(
                $"TimerResolutionMs is {TimerResolutionMs}, which is invalid; give the timer tick in milliseconds, "
                + "or 0 for exact timers.",
                nameof(TimerResolutionMs));
        }

        if (WarmupRuns < 0)
        {
            throw new ArgumentException(
                $"WarmupRuns is {WarmupRuns}, which is invalid; give the batches per size, or 0 to skip the warm-up.",
                nameof(WarmupRuns));
        }
    }

    private static void RequirePositive(double value, string name, string fix)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{name} is {value}, which is invalid; {fix} (a finite number above 0).", name);
        }
    }
}
