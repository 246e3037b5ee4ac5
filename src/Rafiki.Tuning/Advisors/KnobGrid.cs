namespace Rafiki.Tuning.Advisors;

/// <summary>
/// The grid of a knob space: every combination of the grid values of the active knobs, in lexicographic order
/// with the first knob (in parents-first order) changing slowest. A conditional knob adds its values only under the
/// parent values that activate it, so the grid has no two points that differ only in inactive knobs.
/// </summary>
/// <remarks>
/// Points are counted and decoded without listing them, so a grid of 5^20 points costs no memory. Counts are
/// memoised on the knob index and the values of the parents that later knobs depend on.
/// </remarks>
internal sealed class KnobGrid
{
    private readonly KnobDefinition[] _knobs;
    private readonly KnobValue[][] _values;
    private readonly string[][] _parentsAhead;
    private readonly Dictionary<string, KnobValue> _assigned = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Index, string Key), long> _counts = [];

    public KnobGrid(KnobSpace space, int pointsPerNumericKnob)
    {
        _knobs = [.. space.Knobs];
        _values = [.. _knobs.Select(knob => GridValues(knob, pointsPerNumericKnob))];

        // For each index i, the parents named by knobs at i or later that come before i: their values are all
        // that the assignment of knobs before i changes about the rest of the grid.
        _parentsAhead = new string[_knobs.Length + 1][];
        for (var i = 0; i <= _knobs.Length; i++)
        {
            var before = _knobs.Take(i).Select(knob => knob.Name).ToHashSet(StringComparer.Ordinal);
            _parentsAhead[i] = [.. _knobs.Skip(i)
                .Select(knob => knob.Condition?.Parent)
                .OfType<string>()
                .Where(before.Contains)
                .Distinct()
                .Order(StringComparer.Ordinal)];
        }

        Count = CountFrom(0);
    }

    /// <summary>Number of grid points, saturated at <see cref="long.MaxValue"/>.</summary>
    public long Count { get; }

    /// <summary>Returns the grid values of one knob: numeric ranges as evenly spaced points in their scale.</summary>
    public static KnobValue[] GridValues(KnobDefinition knob, int points) => knob switch
    {
        FloatKnob f => [.. Enumerable.Range(0, points)
            .Select(k => UnitCubeEncoding.FromUnit(k / (points - 1.0), f.Low, f.High, f.Scale))
            .Select(value => KnobValue.Of(Math.Clamp(value, f.Low, f.High)))],
        IntegerKnob i when i.High - i.Low + 1 <= points => [.. Enumerable.Range(0, checked((int)(i.High - i.Low + 1)))
            .Select(k => KnobValue.Of(i.Low + k))],
        IntegerKnob i => [.. Enumerable.Range(0, points)
            .Select(k => Math.Round(UnitCubeEncoding.FromUnit(k / (points - 1.0), i.Low, i.High, i.Scale)))
            .Distinct()
            .Select(value => KnobValue.Of(Math.Clamp(value, i.Low, i.High)))],
        CategoricalKnob c => [.. c.Values],
        FixedKnob x => [x.Value],
        _ => throw new InvalidOperationException($"knob '{knob.Name}' has an unknown type."),
    };

    /// <summary>Returns grid point <paramref name="index"/>, which must be below <see cref="Count"/>.</summary>
    public Knobs Decode(long index)
    {
        _assigned.Clear();
        for (var i = 0; i < _knobs.Length; i++)
        {
            if (!KnobSpace.IsActive(_knobs[i], _assigned))
            {
                continue;
            }

            foreach (var value in _values[i])
            {
                _assigned[_knobs[i].Name] = value;
                var below = CountFrom(i + 1);
                if (index < below)
                {
                    break;
                }

                index -= below;
            }
        }

        return new Knobs(_assigned);
    }

    private long CountFrom(int index)
    {
        if (index == _knobs.Length)
        {
            return 1;
        }

        var key = (index, string.Join('\u001f', _parentsAhead[index].Select(parent =>
            _assigned.TryGetValue(parent, out var value) ? KeyOf(value) : "-")));
        if (_counts.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var knob = _knobs[index];
        long count;
        if (!KnobSpace.IsActive(knob, _assigned))
        {
            count = CountFrom(index + 1);
        }
        else
        {
            count = 0;
            var previous = _assigned.TryGetValue(knob.Name, out var old) ? old : (KnobValue?)null;
            foreach (var value in _values[index])
            {
                _assigned[knob.Name] = value;
                count = SaturatingAdd(count, CountFrom(index + 1));
            }

            if (previous is { } restored)
            {
                _assigned[knob.Name] = restored;
            }
            else
            {
                _assigned.Remove(knob.Name);
            }
        }

        _counts[key] = count;
        return count;
    }

    private static string KeyOf(KnobValue value) => value.Kind == KnobValueKind.Number
        ? "n" + value.Number.ToString("R", System.Globalization.CultureInfo.InvariantCulture)
        : value.Kind + ":" + value;

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
