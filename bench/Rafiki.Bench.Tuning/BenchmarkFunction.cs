using Rafiki.Tuning;

namespace Rafiki.Bench.Tuning;

/// <summary>A test function to minimise over a knob space, with its known minimum.</summary>
/// <param name="Name">Name in tables and on the command line.</param>
/// <param name="Space">Knobs the advisors search.</param>
/// <param name="Evaluate">The function; lower is better.</param>
/// <param name="Minimum">The global minimum, so regret = best value found - minimum.</param>
public sealed record BenchmarkFunction(string Name, KnobSpace Space, Func<Knobs, double> Evaluate, double Minimum);
