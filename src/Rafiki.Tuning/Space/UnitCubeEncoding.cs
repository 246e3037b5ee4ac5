namespace Rafiki.Tuning;

/// <summary>
/// Maps knobs to points of the unit cube [0, 1]^d and back, for model-based advisors. A float or integer knob is
/// one coordinate, linear in its scale (log-scale knobs in the logarithm). A categorical knob with two or more
/// values is a one-hot block. Fixed knobs and one-value categorical knobs take no coordinate.
/// An inactive conditional knob encodes as 0.5 (numeric) or all zeros (one-hot): the parent's one-hot block
/// already tells which knobs are active, so two trials that differ only in inactive knobs map to one point.
/// </summary>
public sealed class UnitCubeEncoding
{
    /// <summary>The value an inactive numeric knob encodes to.</summary>
    public const double InactiveNumber = 0.5;

    private readonly EncodedKnob[] _knobs;

    /// <summary>Lays out the coordinates of every knob of <paramref name="space"/>, parents first.</summary>
    public UnitCubeEncoding(KnobSpace space)
    {
        Space = space;
        var knobs = new List<EncodedKnob>(space.Knobs.Length);
        var offset = 0;
        foreach (var knob in space.Knobs)
        {
            var width = knob switch
            {
                FloatKnob or IntegerKnob => 1,
                CategoricalKnob c when c.Values.Length > 1 => c.Values.Length,
                _ => 0,
            };
            knobs.Add(new EncodedKnob(knob, offset, width));
            offset += width;
        }

        _knobs = [.. knobs];
        Dimensions = offset;
    }

    /// <summary>The encoded space.</summary>
    public KnobSpace Space { get; }

    /// <summary>Number of coordinates of an encoded point.</summary>
    public int Dimensions { get; }

    /// <summary>
    /// Coordinates of each knob, in the space's parents-first order; knobs with no coordinate have width 0.
    /// </summary>
    public IReadOnlyList<EncodedKnob> Knobs => _knobs;

    /// <summary>Returns the point of <paramref name="knobs"/>, which must belong to the space.</summary>
    public double[] Encode(Knobs knobs)
    {
        var point = new double[Dimensions];
        Encode(knobs, point);
        return point;
    }

    /// <summary>Writes the point of <paramref name="knobs"/> into <paramref name="destination"/>.</summary>
    public void Encode(Knobs knobs, Span<double> destination)
    {
        foreach (var encoded in _knobs)
        {
            if (encoded.Width == 0)
            {
                continue;
            }

            var slice = destination.Slice(encoded.Offset, encoded.Width);
            var active = knobs.TryGetValue(encoded.Knob.Name, out var value);
            switch (encoded.Knob)
            {
                case FloatKnob f:
                    slice[0] = active ? ToUnit(value.Number, f.Low, f.High, f.Scale) : InactiveNumber;
                    break;
                case IntegerKnob i:
                    slice[0] = active ? ToUnit(value.Number, i.Low, i.High, i.Scale) : InactiveNumber;
                    break;
                case CategoricalKnob c:
                    slice.Clear();
                    if (active && c.Values.IndexOf(value) is var index and >= 0)
                    {
                        slice[index] = 1;
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Returns the knobs nearest to <paramref name="point"/>: coordinates are clamped to [0, 1], integers rounded,
    /// the largest coordinate of a one-hot block picks the value, and only active knobs are set.
    /// </summary>
    public Knobs Decode(ReadOnlySpan<double> point)
    {
        if (point.Length != Dimensions)
        {
            throw new ArgumentException(
                $"point has {point.Length} coordinates but the encoding has {Dimensions}; encode with this space.",
                nameof(point));
        }

        var values = new Dictionary<string, KnobValue>(StringComparer.Ordinal);
        foreach (var encoded in _knobs)
        {
            if (!KnobSpace.IsActive(encoded.Knob, values))
            {
                continue;
            }

            var slice = point.Slice(encoded.Offset, encoded.Width);
            values[encoded.Knob.Name] = encoded.Knob switch
            {
                FloatKnob f => KnobValue.Of(Math.Clamp(FromUnit(slice[0], f.Low, f.High, f.Scale), f.Low, f.High)),
                IntegerKnob i => KnobValue.Of(
                    Math.Clamp(Math.Round(FromUnit(slice[0], i.Low, i.High, i.Scale)), i.Low, i.High)),
                CategoricalKnob c => c.Values[encoded.Width == 0 ? 0 : ArgMax(slice)],
                FixedKnob x => x.Value,
                _ => throw new InvalidOperationException($"knob '{encoded.Knob.Name}' has an unknown type."),
            };
        }

        return new Knobs(values);
    }

    /// <summary>Maps a numeric value to [0, 1] in its scale.</summary>
    public static double ToUnit(double value, double low, double high, KnobScale scale) =>
        scale == KnobScale.Log
            ? (Math.Log(value) - Math.Log(low)) / (Math.Log(high) - Math.Log(low))
            : (value - low) / (high - low);

    /// <summary>Maps a coordinate in [0, 1] back to a numeric value in its scale.</summary>
    public static double FromUnit(double unit, double low, double high, KnobScale scale)
    {
        var clamped = Math.Clamp(unit, 0, 1);
        return scale == KnobScale.Log
            ? Math.Exp(Math.Log(low) + (clamped * (Math.Log(high) - Math.Log(low))))
            : low + (clamped * (high - low));
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
