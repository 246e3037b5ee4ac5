namespace Rafiki.Tuning.Advisors;

/// <summary>
/// The knob values of a group of trials, one column per knob of the space. Numeric knobs are on the TPE unit
/// scale and categorical knobs are value indices. NaN or -1 marks a knob that is inactive or whose value is not
/// in the space. Reading each trial once keeps TPE linear in the trial count.
/// </summary>
internal sealed class TrialColumns
{
    private readonly double[][] _numbers;
    private readonly int[][] _categories;

    public TrialColumns(KnobSpace space, IReadOnlyList<Knobs> trials)
    {
        var knobs = space.Knobs;
        var indexOf = new Dictionary<string, int>(knobs.Length, StringComparer.Ordinal);
        for (var k = 0; k < knobs.Length; k++)
        {
            indexOf[knobs[k].Name] = k;
        }

        _numbers = new double[knobs.Length][];
        _categories = new int[knobs.Length][];
        for (var k = 0; k < knobs.Length; k++)
        {
            if (knobs[k] is FloatKnob or IntegerKnob)
            {
                _numbers[k] = new double[trials.Count];
                Array.Fill(_numbers[k], double.NaN);
            }
            else
            {
                _categories[k] = new int[trials.Count];
                Array.Fill(_categories[k], -1);
            }
        }

        for (var t = 0; t < trials.Count; t++)
        {
            foreach (var (name, value) in trials[t])
            {
                if (!indexOf.TryGetValue(name, out var k))
                {
                    continue;
                }

                switch (knobs[k])
                {
                    case FloatKnob or IntegerKnob when value.Kind == KnobValueKind.Number:
                        _numbers[k][t] = TpeScale.ToUnit(knobs[k], value.Number);
                        break;
                    case CategoricalKnob c:
                        _categories[k][t] = c.Values.IndexOf(value);
                        break;
                }
            }
        }

        Count = trials.Count;
    }

    /// <summary>Number of trials.</summary>
    public int Count { get; }

    /// <summary>Returns the unit-scale values of numeric knob <paramref name="knob"/>, NaN where inactive.</summary>
    public double[] Numbers(int knob) => _numbers[knob];

    /// <summary>Returns the value indices of categorical knob <paramref name="knob"/>, -1 where inactive.</summary>
    public int[] Categories(int knob) => _categories[knob];
}
