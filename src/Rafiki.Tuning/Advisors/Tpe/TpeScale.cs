namespace Rafiki.Tuning.Advisors;

/// <summary>
/// Maps numeric knobs to [0, 1] for the Parzen estimators. Integer knobs cover [low - 0.5, high + 0.5] so that
/// each integer owns an interval of equal width in the knob's scale, the end values included.
/// </summary>
internal static class TpeScale
{
    public static double ToUnit(KnobDefinition knob, double value)
    {
        var (low, high, log) = Domain(knob);
        var position = log ? Math.Log(Math.Max(value, double.Epsilon)) : value;
        return Math.Clamp((position - low) / (high - low), 0, 1);
    }

    public static KnobValue FromUnit(KnobDefinition knob, double unit)
    {
        var (low, high, log) = Domain(knob);
        var position = low + (Math.Clamp(unit, 0, 1) * (high - low));
        var value = log ? Math.Exp(position) : position;
        return knob switch
        {
            FloatKnob f => KnobValue.Of(Math.Clamp(value, f.Low, f.High)),
            IntegerKnob i => KnobValue.Of(Math.Clamp(Math.Round(value), i.Low, i.High)),
            _ => throw new ArgumentException($"knob '{knob.Name}' is not numeric.", nameof(knob)),
        };
    }

    private static (double Low, double High, bool Log) Domain(KnobDefinition knob) => knob switch
    {
        FloatKnob { Scale: KnobScale.Log } f => (Math.Log(f.Low), Math.Log(f.High), true),
        FloatKnob f => (f.Low, f.High, false),

        // Log-scale integer knobs have Low >= 1, so Low - 0.5 stays positive.
        IntegerKnob { Scale: KnobScale.Log } i => (Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), true),
        IntegerKnob i => (i.Low - 0.5, i.High + 0.5, false),
        _ => throw new ArgumentException($"knob '{knob.Name}' is not numeric.", nameof(knob)),
    };
}
