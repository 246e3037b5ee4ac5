namespace Rafiki.Tuning.Advisors;

/// <summary>
/// The good-group and bad-group densities l(x) and g(x) of each knob, built on first use and kept for the
/// redraws of one proposal.
/// </summary>
internal sealed class KnobDensities
{
    private readonly TpeAdvisor _advisor;
    private readonly KnobSpace _space;
    private readonly TrialColumns _good;
    private readonly TrialColumns _bad;
    private readonly double[] _goodWeights;
    private readonly double[] _badWeights;
    private readonly Dictionary<int, (NumericParzenEstimator, NumericParzenEstimator)> _numeric = [];
    private readonly Dictionary<int, (CategoricalParzenEstimator, CategoricalParzenEstimator)> _categorical = [];

    public KnobDensities(TpeAdvisor advisor, KnobSpace space, IReadOnlyList<Knobs> good, IReadOnlyList<Knobs> bad)
    {
        _advisor = advisor;
        _space = space;
        _good = new TrialColumns(space, good);
        _bad = new TrialColumns(space, bad);
        _goodWeights = TpeAdvisor.Weights(good.Count);
        _badWeights = TpeAdvisor.Weights(bad.Count);
    }

    /// <summary>Returns l and g of numeric knob <paramref name="knob"/>, by its index in the space.</summary>
    public (NumericParzenEstimator Below, NumericParzenEstimator Above) Numeric(int knob)
    {
        if (!_numeric.TryGetValue(knob, out var densities))
        {
            densities = (
                _advisor.Estimate(_good.Numbers(knob), _goodWeights),
                _advisor.Estimate(_bad.Numbers(knob), _badWeights));
            _numeric[knob] = densities;
        }

        return densities;
    }

    /// <summary>Returns l and g of categorical knob <paramref name="knob"/>, by its index in the space.</summary>
    public (CategoricalParzenEstimator Below, CategoricalParzenEstimator Above) Categorical(int knob)
    {
        if (!_categorical.TryGetValue(knob, out var densities))
        {
            var definition = (CategoricalKnob)_space.Knobs[knob];
            densities = (
                _advisor.Estimate(definition, _good.Categories(knob), _goodWeights),
                _advisor.Estimate(definition, _bad.Categories(knob), _badWeights));
            _categorical[knob] = densities;
        }

        return densities;
    }
}
