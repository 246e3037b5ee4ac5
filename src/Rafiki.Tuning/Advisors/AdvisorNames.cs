namespace Rafiki.Tuning.Advisors;

/// <summary>Creates advisors by the names used in train-job specs and on the command line.</summary>
public static class AdvisorNames
{
    public const string Random = "random";

    /// <summary>Grid enumeration: see <see cref="GridAdvisor"/>.</summary>
    public const string Grid = "grid";

    /// <summary>Tree-structured Parzen estimator: see <see cref="TpeAdvisor"/>.</summary>
    public const string Tpe = "tpe";

    /// <summary>Gaussian-process Bayesian optimisation: see <see cref="GpAdvisor"/>.</summary>
    public const string Gp = "gp";

    /// <summary>
    /// The advisor a train job gets when it names none: <c>gp</c>, which had the lowest median regret of the
    /// four advisors on every function in the search-quality benchmark (docs/benchmarks.md).
    /// </summary>
    public const string Default = Gp;

    /// <summary>Every advisor name this build knows.</summary>
    public static IReadOnlyList<string> All { get; } = [Random, Grid, Gp, Tpe];

    /// <summary>Returns the advisor called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static IAdvisor Create(string name) => name switch
    {
        Random => new RandomAdvisor(),
        Grid => new GridAdvisor(),
        Gp => new GpAdvisor(),
        Tpe => new TpeAdvisor(),
        _ => throw new ArgumentException(
            $"advisor '{name}' is unknown; use one of {string.Join(", ", All)}.", nameof(name)),
    };
}
