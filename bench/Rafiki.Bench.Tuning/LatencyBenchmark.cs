using System.Diagnostics;
using Rafiki.Tuning;
using Rafiki.Tuning.Advisors;

namespace Rafiki.Bench.Tuning;

/// <summary>Times single proposals of an advisor with a given number of observed trials.</summary>
public static class LatencyBenchmark
{
    /// <summary>
    /// Returns a space of <paramref name="count"/> knobs: a fifth categorical (3 values), a fifth integer, and the
    /// rest float, every third of those on a log scale.
    /// </summary>
    public static KnobSpace Space(int count)
    {
        var knobs = new List<KnobDefinition>(count);
        for (var i = 0; i < count; i++)
        {
            knobs.Add((i % 5) switch
            {
                0 => new CategoricalKnob($"k{i}", ["a", "b", "c"]),
                1 => new IntegerKnob($"k{i}", 1, 64),
                _ when i % 3 == 0 => new FloatKnob($"k{i}", 1e-4, 1, KnobScale.Log),
                _ => new FloatKnob($"k{i}", -1, 1),
            });
        }

        return new KnobSpace([.. knobs]);
    }

    /// <summary>
    /// Returns the median and 95th percentile in milliseconds of <paramref name="repetitions"/> proposals after
    /// <paramref name="history"/> random observed trials, whose score is a smooth function of the encoded knobs.
    /// </summary>
    public static (double Median, double P95) Measure(IAdvisor advisor, KnobSpace space, int history, int repetitions)
    {
        var random = new Random(11);
        var encoding = new UnitCubeEncoding(space);
        var observations = new List<Observation>(history);
        for (var i = 0; i < history; i++)
        {
            var knobs = space.Sample(random);
            var score = -encoding.Encode(knobs).Select(x => (x - 0.3) * (x - 0.3)).Sum();
            observations.Add(new Observation(knobs, score));
        }

        // Early calls run unoptimised code until tiered JIT compilation reaches its optimised tier, which is what a
        // long-running study master runs. So at least 30 calls and one second of untimed proposals come first.
        var warmup = Stopwatch.StartNew();
        for (var i = 0; i < 30 || warmup.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            advisor.Propose(new AdvisorContext(space, observations, [], Seed: 1, ProposalNumber: history + i));
        }

        var times = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var context = new AdvisorContext(space, observations, [], Seed: 2, ProposalNumber: history + i);
            var watch = Stopwatch.StartNew();
            advisor.Propose(context);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (Statistics.Percentile(times, 0.5), Statistics.Percentile(times, 0.95));
    }
}
