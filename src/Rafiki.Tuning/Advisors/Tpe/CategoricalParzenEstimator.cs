namespace Rafiki.Tuning.Advisors;

/// <summary>
/// Weighted frequencies of a categorical knob's values among observed trials, smoothed by a prior weight
/// spread evenly over the values.
/// </summary>
internal sealed class CategoricalParzenEstimator
{
    private readonly double[] _logProbabilities;
    private readonly double[] _cumulative;

    public CategoricalParzenEstimator(
        int valueCount, IReadOnlyList<int> indices, IReadOnlyList<double> weights, double priorWeight)
    {
        var mass = Enumerable.Repeat(priorWeight / valueCount, valueCount).ToArray();
        for (var i = 0; i < indices.Count; i++)
        {
            mass[indices[i]] += weights[i];
        }

        var total = mass.Sum();
        _logProbabilities = [.. mass.Select(m => Math.Log(m / total))];
        _cumulative = new double[valueCount];
        var running = 0.0;
        for (var i = 0; i < valueCount; i++)
        {
            running += mass[i] / total;
            _cumulative[i] = running;
        }
    }

    /// <summary>Draws a value index.</summary>
    public int Sample(Random random)
    {
        var pick = random.NextDouble();
        var index = Array.FindIndex(_cumulative, bound => pick < bound);
        return index < 0 ? _cumulative.Length - 1 : index;
    }

    /// <summary>Returns the log probability of value index <paramref name="index"/>.</summary>
    public double LogProbability(int index) => _logProbabilities[index];
}
