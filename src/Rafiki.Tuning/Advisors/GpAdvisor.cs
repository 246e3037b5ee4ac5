using Rafiki.Tuning.Numerics;

namespace Rafiki.Tuning.Advisors;

/// <summary>
/// Bayesian optimisation with a Gaussian process: a Matérn 5/2 kernel with one length scale per coordinate of
/// the <see cref="UnitCubeEncoding"/> (categorical knobs one-hot), fitted by maximising the log marginal
/// likelihood plus weak priors with L-BFGS from two starts, and expected improvement maximised over random
/// candidates and perturbations of the best trials, the best few refined by a local search.
/// </summary>
/// <remarks>
/// Pending trials enter the GP as observations at the worst observed score (the constant liar of Ginsbourger et
/// al., 2010), which removes the expected improvement around them, so parallel slots get different points.
/// The first <see cref="GpOptions.StartupTrials"/> proposals are random. A NaN score counts as the worst finite one.
/// <see cref="GpOptions.Targets"/> sets how scores become targets. By default, even proposals use standardized
/// scores and odd ones the log of the gap to the best score.
/// </remarks>
public sealed class GpAdvisor : IAdvisor
{
    /// <summary>Creates the advisor; null options take the defaults.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public GpAdvisor(GpOptions? options = null)
    {
        Options = options ?? new GpOptions();
        Options.Validate();
    }

    /// <summary>The advisor's settings.</summary>
    public GpOptions Options { get; }

    public string Name => AdvisorNames.Gp;

    public Knobs Propose(AdvisorContext context)
    {
        var random = context.CreateRandom();
        var observations = context.Observations;
        var encoding = new UnitCubeEncoding(context.Space);
        var finiteScores = observations.Select(observation => observation.Score).Where(double.IsFinite).ToList();
        if (observations.Count < Options.StartupTrials || encoding.Dimensions == 0 || finiteScores.Count == 0)
        {
            return context.Space.Sample(random);
        }

        var worst = finiteScores.Min();
        var scores = observations
            .Select(observation => double.IsFinite(observation.Score) ? observation.Score : worst)
            .ToArray();

        // NOTE: beyond MaxHistory observed trials (150 by default) the GP is conditioned only on the best half and
        // an even spread of the rest, and hyperparameters are fitted on MaxFitHistory (80) of them. That keeps the
        // median proposal under 50 ms at 500 or more trials on 2 cores (docs/benchmarks.md) but loses the detail of
        // older trials.
        var history = SelectHistory(scores, Options.MaxHistory);
        double[] historyScores = [.. history.Select(i => scores[i])];
        var fitted = SelectHistory(historyScores, Options.MaxFitHistory).Select(i => history[i]).ToArray();

        var historyTargets = GpTargets.Transform(historyScores, Options.Targets, context.ProposalNumber);
        var targetOf = new Dictionary<int, double>(history.Length);
        for (var k = 0; k < history.Length; k++)
        {
            targetOf[history[k]] = historyTargets[k];
        }

        var hyperparameters = Fit(encoding, observations, fitted, [.. fitted.Select(i => targetOf[i])], random);
        var process = Condition(encoding, context, history, historyTargets, hyperparameters);
        var incumbent = historyTargets.Max();
        var leaders = history.OrderByDescending(i => scores[i]).ThenBy(i => i).Take(5)
            .Select(i => encoding.Encode(observations[i].Knobs))
            .ToList();
        var search = new AcquisitionSearch(encoding, process, incumbent, random, Options);

        // In integer and categorical spaces the best point can be one already tried or running. Repeating it
        // wastes a trial, so the best-ranked point that is neither tried nor running wins. Only when every
        // candidate is tried or running does the best one repeat.
        var triedOrRunning = observations.Select(observation => observation.Knobs).Concat(context.Pending).ToHashSet();
        Knobs? first = null;
        foreach (var point in search.Maximize(leaders))
        {
            var knobs = encoding.Decode(point);
            first ??= knobs;
            if (!triedOrRunning.Contains(knobs))
            {
                return knobs;
            }
        }

        return first!;
    }

    /// <summary>Conditions the GP on the kept trials and on the pending trials at the lowest target.</summary>
    private static GaussianProcess Condition(
        UnitCubeEncoding encoding,
        AdvisorContext context,
        int[] history,
        double[] historyTargets,
        GpHyperparameters hyperparameters)
    {
        var observations = context.Observations;
        var dimensions = encoding.Dimensions;
        var count = history.Length + context.Pending.Count;
        var points = new double[count * dimensions];
        var targets = new double[count];
        for (var k = 0; k < history.Length; k++)
        {
            encoding.Encode(observations[history[k]].Knobs, points.AsSpan(k * dimensions, dimensions));
            targets[k] = historyTargets[k];
        }

        var lie = historyTargets.Min();
        for (var k = 0; k < context.Pending.Count; k++)
        {
            encoding.Encode(context.Pending[k], points.AsSpan((history.Length + k) * dimensions, dimensions));
            targets[history.Length + k] = lie;
        }

        return GaussianProcess.Condition(points, targets, count, dimensions, hyperparameters);
    }

    /// <summary>
    /// Returns the indices of at most <paramref name="limit"/> trials: all when there are few enough, else the
    /// best half by score and an even spread of the rest in finishing order, the newest included.
    /// </summary>
    internal static int[] SelectHistory(IReadOnlyList<double> scores, int limit)
    {
        if (scores.Count <= limit)
        {
            return [.. Enumerable.Range(0, scores.Count)];
        }

        var bestCount = limit / 2;
        var best = Enumerable.Range(0, scores.Count)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Take(bestCount)
            .ToHashSet();
        var rest = Enumerable.Range(0, scores.Count).Where(i => !best.Contains(i)).ToList();
        var spreadCount = limit - bestCount;
        var spread = Enumerable.Range(0, spreadCount)
            .Select(k => rest[rest.Count - 1 - (int)((long)k * rest.Count / spreadCount)]);
        return [.. best.Concat(spread).Order()];
    }

    private static GpHyperparameters Fit(
        UnitCubeEncoding encoding,
        IReadOnlyList<Observation> observations,
        int[] indices,
        double[] targets,
        Random random)
    {
        var dimensions = encoding.Dimensions;
        var points = new double[indices.Length * dimensions];
        for (var k = 0; k < indices.Length; k++)
        {
            encoding.Encode(observations[indices[k]].Knobs, points.AsSpan(k * dimensions, dimensions));
        }

        var likelihood = new GpMarginalLikelihood(points, targets, indices.Length, dimensions);
        var size = likelihood.ParameterCount;
        var lower = new double[size];
        var upper = new double[size];
        Array.Fill(lower, Math.Log(0.01), 0, dimensions);
        Array.Fill(upper, Math.Log(30), 0, dimensions);
        (lower[dimensions], upper[dimensions]) = (Math.Log(0.01), Math.Log(100));
        (lower[dimensions + 1], upper[dimensions + 1]) = (Math.Log(1e-8), Math.Log(2));

        // One start at the priors' typical values and one random start; the better optimum wins.
        var typical = new double[size];
        Array.Fill(typical, Math.Log(0.5), 0, dimensions);
        typical[dimensions] = 0;
        typical[dimensions + 1] = Math.Log(1e-3);
        var drawn = new double[size];
        for (var j = 0; j < size; j++)
        {
            drawn[j] = lower[j] + ((upper[j] - lower[j]) * (0.25 + (0.5 * random.NextDouble())));
        }

        double[]? best = null;
        var bestValue = double.PositiveInfinity;
        foreach (var start in new[] { typical, drawn })
        {
            var (point, value) = Lbfgs.Minimize(likelihood.Evaluate, start, lower, upper, maxIterations: 50);
            if (value < bestValue || best is null)
            {
                best = point;
                bestValue = value;
            }
        }

        return likelihood.ToHyperparameters(best!);
    }
}
