namespace Rafiki.Tuning.Advisors;

/// <summary>
/// Tree-structured Parzen estimator (Bergstra et al., "Algorithms for Hyper-Parameter Optimization", NIPS 2011),
/// in the univariate form of Optuna's TPESampler. Observed trials are split into a good group (the best
/// <see cref="TpeOptions.GoodFraction"/>, at most <see cref="TpeOptions.MaxGoodTrials"/>) and a bad group. For each
/// active knob, parents first, candidates are drawn from the good group's density l(x) and the one with the
/// largest l(x)/g(x) is kept, where g is the bad group's density. A conditional knob's densities use only the
/// trials in which it was active.
/// </summary>
/// <remarks>
/// Pending trials join the bad group, as Optuna's constant_liar option does, so parallel slots are pushed away
/// from points already being tried. The first <see cref="TpeOptions.StartupTrials"/> proposals are random.
/// Older trials weigh less once there are more than 25 in a group, as in Optuna.
/// </remarks>
public sealed class TpeAdvisor : IAdvisor
{
    private const int FullWeightTrials = 25;

    /// <summary>Creates the advisor; null options take the defaults.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public TpeAdvisor(TpeOptions? options = null)
    {
        Options = options ?? new TpeOptions();
        Options.Validate();
    }

    /// <summary>The advisor's settings.</summary>
    public TpeOptions Options { get; }

    public string Name => AdvisorNames.Tpe;

    public Knobs Propose(AdvisorContext context)
    {
        var random = context.CreateRandom();
        var observations = context.Observations;
        if (observations.Count == 0 || observations.Count < Options.StartupTrials)
        {
            return context.Space.Sample(random);
        }

        var (good, bad) = Split(context);
        var goodWeights = Weights(good.Count);
        var badWeights = Weights(bad.Count);
        var values = new Dictionary<string, KnobValue>(StringComparer.Ordinal);
        foreach (var knob in context.Space.Knobs)
        {
            if (!KnobSpace.IsActive(knob, values))
            {
                continue;
            }

            values[knob.Name] = knob switch
            {
                FloatKnob or IntegerKnob => ProposeNumber(knob, good, goodWeights, bad, badWeights, random),
                CategoricalKnob { Values.Length: > 1 } c => ProposeCategory(c, good, goodWeights, bad, badWeights, random),
                _ => knob.Sample(random),
            };
        }

        return new Knobs(values);
    }

    /// <summary>Returns the weights of <paramref name="count"/> trials in the order they finished, oldest first.</summary>
    internal static double[] Weights(int count)
    {
        var weights = Enumerable.Repeat(1.0, count).ToArray();
        var ramp = count - FullWeightTrials;
        for (var i = 0; i < ramp; i++)
        {
            // Rises linearly from 1/count for the oldest trial to 1 for the last trial before the newest 25.
            weights[i] = ramp == 1 ? 1.0 / count : (1.0 / count) + ((1.0 - (1.0 / count)) * i / (ramp - 1));
        }

        return weights;
    }

    private (List<Knobs> Good, List<Knobs> Bad) Split(AdvisorContext context)
    {
        var observations = context.Observations;
        var goodCount = Math.Min((int)Math.Ceiling(Options.GoodFraction * observations.Count), Options.MaxGoodTrials);
        goodCount = Math.Max(goodCount, 1);

        // A NaN score (a diverged trial) ranks last; ties keep the order in which trials finished.
        var good = Enumerable.Range(0, observations.Count)
            .OrderByDescending(i => double.IsNaN(observations[i].Score) ? double.NegativeInfinity : observations[i].Score)
            .ThenBy(i => i)
            .Take(goodCount)
            .ToHashSet();
        var goodKnobs = new List<Knobs>(goodCount);
        var badKnobs = new List<Knobs>(observations.Count - goodCount + context.Pending.Count);
        for (var i = 0; i < observations.Count; i++)
        {
            (good.Contains(i) ? goodKnobs : badKnobs).Add(observations[i].Knobs);
        }

        badKnobs.AddRange(context.Pending);
        return (goodKnobs, badKnobs);
    }

    private KnobValue ProposeNumber(
        KnobDefinition knob, List<Knobs> good, double[] goodWeights, List<Knobs> bad, double[] badWeights, Random random)
    {
        var below = Estimate(knob, good, goodWeights);
        var above = Estimate(knob, bad, badWeights);
        var best = KnobValue.Of(double.NaN);
        var bestRatio = double.NegativeInfinity;
        for (var i = 0; i < Options.Candidates; i++)
        {
            // Integer candidates are scored at the centre of their interval, where their densities are read.
            var candidate = TpeScale.FromUnit(knob, below.Sample(random));
            var unit = TpeScale.ToUnit(knob, candidate.Number);
            var ratio = below.LogDensity(unit) - above.LogDensity(unit);
            if (ratio > bestRatio || i == 0)
            {
                best = candidate;
                bestRatio = ratio;
            }
        }

        return best;
    }

    private NumericParzenEstimator Estimate(KnobDefinition knob, List<Knobs> trials, double[] weights)
    {
        var values = new List<double>(trials.Count);
        var activeWeights = new List<double>(trials.Count);
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].TryGetValue(knob.Name, out var value) && value.Kind == KnobValueKind.Number)
            {
                values.Add(TpeScale.ToUnit(knob, value.Number));
                activeWeights.Add(weights[i]);
            }
        }

        return new NumericParzenEstimator(values, activeWeights, Options.PriorWeight);
    }

    private KnobValue ProposeCategory(
        CategoricalKnob knob, List<Knobs> good, double[] goodWeights, List<Knobs> bad, double[] badWeights, Random random)
    {
        var below = Estimate(knob, good, goodWeights);
        var above = Estimate(knob, bad, badWeights);
        var best = 0;
        var bestRatio = double.NegativeInfinity;
        for (var i = 0; i < Options.Candidates; i++)
        {
            var candidate = below.Sample(random);
            var ratio = below.LogProbability(candidate) - above.LogProbability(candidate);
            if (ratio > bestRatio)
            {
                best = candidate;
                bestRatio = ratio;
            }
        }

        return knob.Values[best];
    }

    private CategoricalParzenEstimator Estimate(CategoricalKnob knob, List<Knobs> trials, double[] weights)
    {
        var indices = new List<int>(trials.Count);
        var activeWeights = new List<double>(trials.Count);
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].TryGetValue(knob.Name, out var value) && knob.Values.IndexOf(value) is var index and >= 0)
            {
                indices.Add(index);
                activeWeights.Add(weights[i]);
            }
        }

        return new CategoricalParzenEstimator(knob.Values.Length, indices, activeWeights, Options.PriorWeight);
    }
}
