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
    private const int MaxRedraws = 10;

    // Integer knobs with at most this many values are enumerated in full by the fallback grid.
    private const int FallbackGridPoints = 64;

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
        var densities = new KnobDensities(this, context.Space, good, bad);

        // In integer and categorical spaces TPE's choice can be a point already tried or running. Repeating it
        // wastes a trial, so a few more draws follow. A space without float knobs then takes the next free point
        // of its grid from a random start, which finds one whenever the grid has one. Float knobs make a repeat
        // of a random draw practically impossible.
        var triedOrRunning = observations.Select(observation => observation.Knobs).Concat(context.Pending).ToHashSet();
        var proposal = SampleOnce(context.Space, densities, random);
        for (var attempt = 0; attempt < MaxRedraws && triedOrRunning.Contains(proposal); attempt++)
        {
            proposal = SampleOnce(context.Space, densities, random);
        }

        if (triedOrRunning.Contains(proposal))
        {
            proposal = context.Space.Knobs.Any(knob => knob is FloatKnob)
                ? context.Space.Sample(random)
                : new GridAdvisor(FallbackGridPoints).Propose(context with { ProposalNumber = random.Next() });
        }

        return proposal;
    }

    private Knobs SampleOnce(KnobSpace space, KnobDensities densities, Random random)
    {
        var values = new Dictionary<string, KnobValue>(StringComparer.Ordinal);
        var knobs = space.Knobs;
        for (var k = 0; k < knobs.Length; k++)
        {
            var knob = knobs[k];
            if (!KnobSpace.IsActive(knob, values))
            {
                continue;
            }

            values[knob.Name] = knob switch
            {
                FloatKnob or IntegerKnob => ProposeNumber(knob, densities.Numeric(k), random),
                CategoricalKnob { Values.Length: > 1 } c => ProposeCategory(c, densities.Categorical(k), random),
                _ => knob.Sample(random),
            };
        }

        return new Knobs(values);
    }

    /// <summary>
    /// Returns the weights of <paramref name="count"/> trials in the order they finished, oldest first.
    /// </summary>
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
            .OrderByDescending(i => double.IsNaN(observations[i].Score)
                ? double.NegativeInfinity
                : observations[i].Score)
            .ThenBy(i => i)
            .Take(goodCount)
            .ToHashSet();
        var goodKnobs = new List<Knobs>(goodCount);
        var badKnobs = new List<Knobs>(observations.Count - goodCount + context.Pending.Count);
        for (var i = 0; i < observations.Count; i++)
        {
            (good.Contains(i) ? goodKnobs : badKnobs).Add(observations[i].Knobs);
        }

        // NOTE: the bad group keeps only its newest MaxBadTrials (400) trials, pending ones included, which bounds
        // a proposal's cost (about 2 ms at 1,000 trials and 20 knobs on 2 cores, docs/benchmarks.md). Older bad
        // trials already weigh less, but dropping them makes g(x) forget regions explored early in long studies.
        badKnobs.AddRange(context.Pending);
        if (badKnobs.Count > Options.MaxBadTrials)
        {
            badKnobs.RemoveRange(0, badKnobs.Count - Options.MaxBadTrials);
        }

        return (goodKnobs, badKnobs);
    }

    private KnobValue ProposeNumber(
        KnobDefinition knob, (NumericParzenEstimator Below, NumericParzenEstimator Above) densities, Random random)
    {
        var (below, above) = densities;
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

    internal NumericParzenEstimator Estimate(double[] column, double[] weights)
    {
        var values = new List<double>(column.Length);
        var activeWeights = new List<double>(column.Length);
        for (var i = 0; i < column.Length; i++)
        {
            if (!double.IsNaN(column[i]))
            {
                values.Add(column[i]);
                activeWeights.Add(weights[i]);
            }
        }

        return new NumericParzenEstimator(values, activeWeights, Options.PriorWeight);
    }

    private KnobValue ProposeCategory(
        CategoricalKnob knob,
        (CategoricalParzenEstimator Below, CategoricalParzenEstimator Above) densities,
        Random random)
    {
        var (below, above) = densities;
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

    internal CategoricalParzenEstimator Estimate(CategoricalKnob knob, int[] column, double[] weights)
    {
        var indices = new List<int>(column.Length);
        var activeWeights = new List<double>(column.Length);
        for (var i = 0; i < column.Length; i++)
        {
            if (column[i] >= 0)
            {
                indices.Add(column[i]);
                activeWeights.Add(weights[i]);
            }
        }

        return new CategoricalParzenEstimator(knob.Values.Length, indices, activeWeights, Options.PriorWeight);
    }
}
