using System.Collections.Immutable;

namespace Rafiki.Tuning;

/// <summary>Applies a train job's knob narrowings to a model family's declared space.</summary>
internal static class KnobSpaceNarrower
{
    public static KnobSpace Narrow(KnobSpace space, IReadOnlyDictionary<string, KnobNarrowing> narrowings)
    {
        foreach (var name in narrowings.Keys.Order(StringComparer.Ordinal).Where(name => space.Find(name) is null))
        {
            throw new KnobSpaceException(
                $"knob '{name}': cannot narrow an unknown knob; known knobs are " +
                $"{string.Join(", ", space.Knobs.Select(knob => knob.Name))}.");
        }

        // Knobs come parents first, so a parent is narrowed before the conditions that name it are rewritten.
        var kept = new Dictionary<string, KnobDefinition>(StringComparer.Ordinal);
        foreach (var knob in space.Knobs)
        {
            var narrowed = narrowings.TryGetValue(knob.Name, out var narrowing) ? NarrowKnob(knob, narrowing) : knob;
            if (narrowed.Condition is { } condition)
            {
                // A knob whose parent can no longer take a value that activates it is never active: drop it.
                if (!kept.TryGetValue(condition.Parent, out var parent) || parent is not CategoricalKnob categorical)
                {
                    continue;
                }

                var values = condition.Values.Where(categorical.Values.Contains).ToImmutableArray();
                if (values.IsEmpty)
                {
                    continue;
                }

                narrowed = narrowed with { Condition = condition with { Values = values } };
            }

            kept[knob.Name] = narrowed;
        }

        return new KnobSpace([.. kept.Values]);
    }

    private static KnobDefinition NarrowKnob(KnobDefinition knob, KnobNarrowing narrowing)
    {
        if (narrowing.IsChoice)
        {
            return NarrowToValues(knob, narrowing.Values);
        }

        return knob switch
        {
            FloatKnob f => NarrowRange(f, narrowing, f.Low, f.High, (low, high) => f with { Low = low, High = high }),
            IntegerKnob i => NarrowRange(i, narrowing, i.Low, i.High, (low, high) =>
                i with { Low = CheckWhole(i.Name, low), High = CheckWhole(i.Name, high) }),
            CategoricalKnob c => throw new KnobSpaceException(
                $"knob '{c.Name}': is categorical and has no range to narrow; list the values to keep, " +
                $"a subset of [{string.Join(", ", c.Values)}]."),
            _ => throw new KnobSpaceException(
                $"knob '{knob.Name}': is fixed at {((FixedKnob)knob).Value} and cannot be narrowed; " +
                "remove its narrowing."),
        };
    }

    private static KnobDefinition NarrowToValues(KnobDefinition knob, ImmutableArray<KnobValue> values)
    {
        if (values.IsEmpty)
        {
            throw new KnobSpaceException($"knob '{knob.Name}': narrowing lists no values; list at least one.");
        }

        foreach (var value in values)
        {
            if (knob.Check(value) is { } problem)
            {
                throw new KnobSpaceException(
                    $"knob '{knob.Name}': cannot narrow to {value} because {problem}; keep to the declared space.");
            }
        }

        return knob switch
        {
            CategoricalKnob c => c with { Values = values },
            FixedKnob => knob,
            _ when values.Length == 1 => new FixedKnob(knob.Name, values[0]) { Condition = knob.Condition },
            _ => new CategoricalKnob(knob.Name, values) { Condition = knob.Condition },
        };
    }

    private static KnobDefinition NarrowRange(
        KnobDefinition knob, KnobNarrowing narrowing, double declaredLow, double declaredHigh,
        Func<double, double, KnobDefinition> create)
    {
        var low = narrowing.Low ?? declaredLow;
        var high = narrowing.High ?? declaredHigh;
        if (double.IsNaN(low) || double.IsNaN(high) || low < declaredLow || high > declaredHigh)
        {
            throw new KnobSpaceException(
                $"knob '{knob.Name}': narrowed range [{low}, {high}] is outside the declared range " +
                $"[{declaredLow}, {declaredHigh}]; choose bounds inside it.");
        }

        if (low > high)
        {
            throw new KnobSpaceException(
                $"knob '{knob.Name}': narrowed low bound {low} is above high bound {high}; swap them.");
        }

        if (low == high)
        {
            var value = KnobValue.Of(knob is IntegerKnob ? CheckWhole(knob.Name, low) : low);
            return new FixedKnob(knob.Name, value) { Condition = knob.Condition };
        }

        return create(low, high);
    }

    private static long CheckWhole(string name, double bound) =>
        bound == Math.Floor(bound)
            ? (long)bound
            : throw new KnobSpaceException(
                $"knob '{name}': narrowed bound {bound} is not an integer; use whole numbers for an integer knob.");
}
