namespace Rafiki.Tuning.Advisors;

/// <summary>
/// Maximises log expected improvement over the encoded space: random candidates from the knob space,
/// perturbations of the best observed trials, then a local search from the best few. Every candidate is decoded
/// and re-encoded, so integers are whole, one-hot blocks are valid and inactive knobs sit at their neutral value.
/// </summary>
internal sealed class AcquisitionSearch
{
    private const int PerturbationsPerLeader = 20;
    private const int LocalSteps = 40;

    private readonly UnitCubeEncoding _encoding;
    private readonly GaussianProcess _process;
    private readonly double _incumbent;
    private readonly Random _random;
    private readonly GpOptions _options;
    private readonly double[] _scratch;
    private readonly int[] _numeric;
    private readonly EncodedKnob[] _oneHot;

    public AcquisitionSearch(
        UnitCubeEncoding encoding, GaussianProcess process, double incumbent, Random random, GpOptions options)
    {
        _encoding = encoding;
        _process = process;
        _incumbent = incumbent;
        _random = random;
        _options = options;
        _scratch = new double[process.Count];
        _numeric = [.. encoding.Knobs.Where(knob => knob.Width == 1 && !knob.IsOneHot).Select(knob => knob.Offset)];
        _oneHot = [.. encoding.Knobs.Where(knob => knob.IsOneHot && knob.Width > 1)];
    }

    /// <summary>Returns the encoded points found, largest expected improvement first.</summary>
    public IEnumerable<double[]> Maximize(IReadOnlyList<double[]> leaders)
    {
        var capacity = _options.Candidates + (leaders.Count * PerturbationsPerLeader);
        var candidates = new List<(double[] Point, double Value)>(capacity);
        for (var i = 0; i < _options.Candidates; i++)
        {
            var point = _encoding.Encode(_encoding.Space.Sample(_random));
            candidates.Add((point, Evaluate(point)));
        }

        foreach (var leader in leaders)
        {
            for (var i = 0; i < PerturbationsPerLeader; i++)
            {
                var point = Perturb(leader, 0.05);
                candidates.Add((point, Evaluate(point)));
            }
        }

        candidates.Sort((a, b) => b.Value.CompareTo(a.Value));
        var refined = candidates.Take(_options.RefinedCandidates).Select(Refine).ToList();
        candidates.AddRange(refined);
        candidates.Sort((a, b) => b.Value.CompareTo(a.Value));
        return candidates.Select(candidate => candidate.Point);
    }

    private (double[] Point, double Value) Refine((double[] Point, double Value) start)
    {
        var current = start;
        var step = 0.1;
        var failures = 0;
        for (var i = 0; i < LocalSteps; i++)
        {
            var point = Perturb(current.Point, step);
            var value = Evaluate(point);
            if (value > current.Value)
            {
                current = (point, value);
                failures = 0;
            }
            else if (++failures == 5)
            {
                step *= 0.5;
                failures = 0;
            }
        }

        return current;
    }

    private double[] Perturb(double[] origin, double step)
    {
        var point = (double[])origin.Clone();

        // Move a few coordinates at a time, so a local move in many dimensions is not a long random jump.
        var probability = _numeric.Length == 0 ? 0 : Math.Min(1.0, 2.0 / _numeric.Length);
        var moved = false;
        foreach (var offset in _numeric)
        {
            if (_random.NextDouble() < probability)
            {
                point[offset] = Math.Clamp(point[offset] + (step * NextGaussian()), 0, 1);
                moved = true;
            }
        }

        if (_oneHot.Length > 0 && (!moved || _random.NextDouble() < 0.2))
        {
            var block = _oneHot[_random.Next(_oneHot.Length)];
            point.AsSpan(block.Offset, block.Width).Clear();
            point[block.Offset + _random.Next(block.Width)] = 1;
        }
        else if (!moved && _numeric.Length > 0)
        {
            var offset = _numeric[_random.Next(_numeric.Length)];
            point[offset] = Math.Clamp(point[offset] + (step * NextGaussian()), 0, 1);
        }

        return _encoding.Encode(_encoding.Decode(point));
    }

    private double Evaluate(double[] point)
    {
        var (mean, variance) = _process.Predict(point, _scratch);
        return ExpectedImprovement.Log(mean, variance, _incumbent);
    }

    private double NextGaussian()
    {
        var u = 1.0 - _random.NextDouble();
        var v = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
