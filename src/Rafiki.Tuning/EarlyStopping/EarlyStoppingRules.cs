namespace Rafiki.Tuning.EarlyStopping;

/// <summary>Creates early-stopping rules by the names used in train-job specs and on the command line.</summary>
public static class EarlyStoppingRules
{
    public const string None = "none";

    /// <summary>Every rule name this build knows.</summary>
    public static IReadOnlyList<string> All { get; } = [None];

    /// <summary>Returns the rule called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static IEarlyStoppingRule Create(string name) => name switch
    {
        None => new NoEarlyStopping(),
        _ => throw new ArgumentException(
            $"early-stopping rule '{name}' is unknown; use one of {string.Join(", ", All)}.", nameof(name)),
    };
}
