namespace Rafiki.Tuning.Advisors;

/// <summary>Creates advisors by the names used in train-job specs and on the command line.</summary>
public static class AdvisorNames
{
    public const string Random = "random";

    /// <summary>Grid enumeration: see <see cref="GridAdvisor"/>.</summary>
    public const string Grid = "grid";

    /// <summary>Every advisor name this build knows.</summary>
    public static IReadOnlyList<string> All { get; } = [Random, Grid];

    /// <summary>Returns the advisor called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static IAdvisor Create(string name) => name switch
    {
        Random => new RandomAdvisor(),
        Grid => new GridAdvisor(),
        _ => throw new ArgumentException(
            $"advisor '{name}' is unknown; use one of {string.Join(", ", All)}.", nameof(name)),
    };
}
