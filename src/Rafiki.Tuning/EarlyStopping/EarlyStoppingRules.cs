namespace Rafiki.Tuning.EarlyStopping;

/// <summary>Creates early-stopping rules by the names used in train-job specs and on the command line.</summary>
public static class EarlyStoppingRules
{
    public const string None = "none";

    /// <summary>Median stopping: see <see cref="MedianStoppingRule"/>.</summary>
    public const string Median = "median";

    /// <summary>Asynchronous successive halving: see <see cref="AshaRule"/>.</summary>
    public const string Asha = "asha";

    /// <summary>Every rule name this build knows.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Median, Asha];

    /// <summary>Returns the rule called <paramref name="name"/> with default options.</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static IEarlyStoppingRule Create(string name) => Create(name, null);

    /// <summary>
    /// Returns the rule called <paramref name="name"/> with <paramref name="options"/>, or the defaults when null.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The name is unknown (the message lists the known names) or an option is out of range.
    /// </exception>
    public static IEarlyStoppingRule Create(string name, EarlyStoppingOptions? options) => name switch
    {
        None => new NoEarlyStopping(),
        Median => new MedianStoppingRule(options),
        Asha => new AshaRule(options),
        _ => throw new ArgumentException(
            $"early-stopping rule '{name}' is unknown; use one of {string.Join(", ", All)}.", nameof(name)),
    };
}
