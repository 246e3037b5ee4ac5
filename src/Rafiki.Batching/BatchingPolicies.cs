using Rafiki.Batching.Latency;
using Rafiki.Batching.Policies;

namespace Rafiki.Batching;

/// <summary>Creates batching policies by the names used in inference-job specs and on the command line.</summary>
public static class BatchingPolicies
{
    /// <summary>Rafiki's greedy policy: <see cref="GreedyPolicy"/>.</summary>
    public const string Greedy = "greedy";

    /// <summary>No batching: <see cref="NoBatchingPolicy"/>.</summary>
    public const string None = "none";

    /// <summary>Maximum batch size and maximum queue delay: <see cref="FixedWaitPolicy"/>.</summary>
    public const string FixedWait = "fixed-wait";

    /// <summary>Additive increase, multiplicative decrease of the batch size cap: <see cref="AimdPolicy"/>.</summary>
    public const string Aimd = "aimd";

    /// <summary>Every policy name this build supports.</summary>
    public static IReadOnlyList<string> All { get; } = [Greedy, None, FixedWait, Aimd];

    /// <summary>Returns a new policy called <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="All"/>.</param>
    /// <param name="options">Settings, validated before the policy is created.</param>
    /// <param name="latencyModel">Estimate of c(b); pass the model that also records the observed latencies.</param>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the known names), or a setting is
    /// invalid (the message names it, its value and the fix).</exception>
    public static IBatchingPolicy Create(string name, BatchingOptions options, IBatchLatencyModel latencyModel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(latencyModel);
        return name switch
        {
            Greedy => new GreedyPolicy(options, latencyModel),
            None => new NoBatchingPolicy(options, latencyModel),
            FixedWait => new FixedWaitPolicy(options, latencyModel),
            Aimd => new AimdPolicy(options, latencyModel),
            _ => throw new ArgumentException(
                $"Batching policy '{name}' is unknown; use one of {string.Join(", ", All)}.", nameof(name)),
        };
    }
}
