using Rafiki.Tuning.Advisors;

namespace Rafiki.Tuning.Tests;

/// <summary>Runs small sequential studies for the advisor tests.</summary>
internal static class AdvisorStudy
{
    /// <summary>
    /// A bowl with its maximum 0 at x = 0.3, lr = 0.01, kind = b; kind a costs 0.2 and kind c costs 0.5.
    /// </summary>
    public static readonly KnobSpace BowlSpace = KnobSpace.Of(
        new FloatKnob("x", 0, 1),
        new FloatKnob("lr", 1e-4, 1, KnobScale.Log),
        new CategoricalKnob("kind", ["a", "b", "c"]));

    public static double Bowl(Knobs knobs)
    {
        var x = knobs.GetDouble("x") - 0.3;
        var lr = (Math.Log10(knobs.GetDouble("lr")) + 2) / 4;
        var penalty = knobs.GetString("kind") switch
        {
            "a" => 0.2,
            "b" => 0.0,
            _ => 0.5,
        };
        return -((x * x) + (lr * lr) + penalty);
    }

    /// <summary>Returns the best score of a study of <paramref name="trials"/> sequential trials.</summary>
    public static double BestScore(IAdvisor advisor, KnobSpace space, Func<Knobs, double> score, int trials, int seed) =>
        Run(advisor, space, score, trials, seed).Max(observation => observation.Score);

    /// <summary>Returns the observations of a study of <paramref name="trials"/> sequential trials, checking each proposal.</summary>
    public static List<Observation> Run(IAdvisor advisor, KnobSpace space, Func<Knobs, double> score, int trials, int seed)
    {
        var observations = new List<Observation>();
        for (var number = 0; number < trials; number++)
        {
            var knobs = advisor.Propose(new AdvisorContext(space, observations, [], seed, number));
            space.CheckContains(knobs);
            observations.Add(new Observation(knobs, score(knobs)));
        }

        return observations;
    }

    /// <summary>Returns <paramref name="count"/> random observations of the bowl, for advisors past their startup trials.</summary>
    public static List<Observation> RandomBowlObservations(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => BowlSpace.Sample(random)).Select(knobs => new Observation(knobs, Bowl(knobs)))];
    }

    /// <summary>
    /// Proposes <paramref name="count"/> knobs as a master with that many free slots would: each proposal sees the
    /// earlier ones as pending.
    /// </summary>
    public static List<Knobs> ProposeParallel(IAdvisor advisor, IReadOnlyList<Observation> observations, int count, int seed)
    {
        var pending = new List<Knobs>();
        for (var i = 0; i < count; i++)
        {
            pending.Add(advisor.Propose(new AdvisorContext(BowlSpace, observations, [.. pending], seed, observations.Count + i)));
        }

        return pending;
    }

    /// <summary>Returns the smallest distance between two of the points in the unit-cube encoding.</summary>
    public static double MinimumDistance(KnobSpace space, IReadOnlyList<Knobs> points)
    {
        var encoding = new UnitCubeEncoding(space);
        var encoded = points.Select(encoding.Encode).ToList();
        var minimum = double.PositiveInfinity;
        for (var a = 0; a < encoded.Count; a++)
        {
            for (var b = a + 1; b < encoded.Count; b++)
            {
                minimum = Math.Min(minimum, Math.Sqrt(encoded[a].Zip(encoded[b], (p, q) => (p - q) * (p - q)).Sum()));
            }
        }

        return minimum;
    }
}
