using Rafiki.Tuning;
using Rafiki.Tuning.Advisors;

namespace Rafiki.Bench.Tuning;

/// <summary>Runs sequential studies of one advisor on one function and records the best regret of each seed.</summary>
public static class QualityBenchmark
{
    /// <summary>
    /// Returns the best regret of each of <paramref name="seeds"/> studies of <paramref name="trials"/> trials.
    /// </summary>
    public static double[] Run(
        BenchmarkFunction function, Func<BenchmarkFunction, IAdvisor> createAdvisor, int trials, int seeds)
    {
        var regrets = new double[seeds];
        Parallel.For(0, seeds, seed => regrets[seed] = RunStudy(function, createAdvisor(function), trials, seed));
        return regrets;
    }

    private static double RunStudy(BenchmarkFunction function, IAdvisor advisor, int trials, int seed)
    {
        var observations = new List<Observation>(trials);
        var best = double.PositiveInfinity;
        for (var number = 0; number < trials; number++)
        {
            var knobs = advisor.Propose(new AdvisorContext(function.Space, observations, [], seed, number));
            var value = function.Evaluate(knobs);
            best = Math.Min(best, value);

            // Advisors maximise the score, and the functions are minimised.
            observations.Add(new Observation(knobs, -value));
        }

        return best - function.Minimum;
    }

    /// <summary>
    /// Returns the largest number of points per numeric knob whose grid has at most <paramref name="trials"/>
    /// points, and at least 2.
    /// </summary>
    public static int GridPointsFor(KnobSpace space, int trials)
    {
        var points = 2;
        while (points < 1000 && new GridAdvisor(points + 1).CountPoints(space) <= trials)
        {
            points++;
        }

        return points;
    }
}
