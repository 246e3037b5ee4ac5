using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rafiki.Tuning;

/// <summary>
/// The knobs of a model family, validated on construction and ordered so that every parent knob comes before
/// the knobs whose condition names it.
/// </summary>
public sealed class KnobSpace
{
    private const long MaxExactInteger = 1L << 53;

    [JsonConstructor]
    public KnobSpace(ImmutableArray<KnobDefinition> knobs)
    {
        Knobs = Validate(knobs);
    }

    /// <summary>Creates a space from knob definitions; see the constructor for the checks.</summary>
    public static KnobSpace Of(params KnobDefinition[] knobs) => new([.. knobs]);

    /// <summary>Knob definitions, parents before children.</summary>
    public ImmutableArray<KnobDefinition> Knobs { get; }

    /// <summary>Returns the definition of a knob by name, or null.</summary>
    public KnobDefinition? Find(string name) => Knobs.FirstOrDefault(knob => knob.Name == name);

    /// <summary>
    /// Returns this space restricted by a train job's narrowings, keyed by knob name. A numeric range becomes the
    /// new bounds, a list of values becomes a categorical knob, and one value or equal bounds fix the knob.
    /// Conditions on a narrowed categorical knob keep only the values it still has, and a knob that can no longer
    /// be active is dropped. Knobs without a narrowing are kept as declared.
    /// </summary>
    /// <exception cref="KnobSpaceException">
    /// A narrowing names an unknown knob, leaves the declared space, or does not fit the knob's type.
    /// </exception>
    public KnobSpace Narrow(IReadOnlyDictionary<string, KnobNarrowing> narrowings) =>
        KnobSpaceNarrower.Narrow(this, narrowings);

    /// <summary>
    /// Returns this space restricted by the JSON object of a train job, such as
    /// <c>{"lr": {"low": 0.001, "high": 0.01}, "optimizer": ["adam"], "dropout": 0.1}</c>;
    /// see <see cref="KnobNarrowing"/> for the accepted shapes.
    /// </summary>
    /// <exception cref="KnobSpaceException">The JSON is not an object or a narrowing is invalid.</exception>
    public KnobSpace Narrow(JsonElement narrowings)
    {
        if (narrowings.ValueKind != JsonValueKind.Object)
        {
            throw new KnobSpaceException(
                $"knob narrowings must be a JSON object of knob name and narrowing, not {narrowings.ValueKind}: " +
                $"{narrowings.GetRawText()}.");
        }

        var parsed = new Dictionary<string, KnobNarrowing>(StringComparer.Ordinal);
        foreach (var property in narrowings.EnumerateObject())
        {
            if (!parsed.TryAdd(property.Name, KnobNarrowing.FromJson(property.Name, property.Value)))
            {
                throw new KnobSpaceException($"knob '{property.Name}': narrowed twice; keep one narrowing.");
            }
        }

        return Narrow(parsed);
    }

    /// <summary>Returns whether a knob is active given the values of the knobs before it.</summary>
    public static bool IsActive(KnobDefinition knob, IReadOnlyDictionary<string, KnobValue> values) =>
        knob.Condition is null || knob.Condition.HoldsFor(values);

    /// <summary>Draws one value per active knob, uniformly in each knob's scale.</summary>
    public Knobs Sample(Random random)
    {
        var values = new Dictionary<string, KnobValue>(StringComparer.Ordinal);
        foreach (var knob in Knobs)
        {
            if (IsActive(knob, values))
            {
                values[knob.Name] = knob.Sample(random);
            }
        }

        return new Knobs(values);
    }

    /// <summary>
    /// Checks that <paramref name="knobs"/> sets every active knob of this space to a valid value and nothing else.
    /// </summary>
    /// <exception cref="KnobSpaceException">A knob is missing, unknown, inactive or out of range.</exception>
    public void CheckContains(Knobs knobs)
    {
        foreach (var knob in Knobs)
        {
            var active = IsActive(knob, knobs);
            var present = knobs.TryGetValue(knob.Name, out var value);
            if (active && !present)
            {
                throw new KnobSpaceException($"knob '{knob.Name}': missing; set a value for it.");
            }

            if (!active && present)
            {
                throw new KnobSpaceException(
                    $"knob '{knob.Name}': set to {value} but inactive because its condition on " +
                    $"'{knob.Condition!.Parent}' does not hold; remove it.");
            }

            if (present && knob.Check(value) is { } problem)
            {
                throw new KnobSpaceException($"knob '{knob.Name}': {problem}; use a value inside the knob's space.");
            }
        }

        foreach (var name in knobs.Keys.Where(name => Find(name) is null))
        {
            throw new KnobSpaceException(
                $"knob '{name}': unknown; known knobs are {string.Join(", ", Knobs.Select(knob => knob.Name))}.");
        }
    }

    private static ImmutableArray<KnobDefinition> Validate(ImmutableArray<KnobDefinition> knobs)
    {
        if (knobs.IsDefaultOrEmpty)
        {
            throw new KnobSpaceException("knob space is empty; declare at least one knob.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var position = 0; position < knobs.Length; position++)
        {
            // A JSON array such as [null] deserializes to a null entry.
            if (knobs[position] is null)
            {
                throw new KnobSpaceException($"knob at position {position} is null; declare it or remove the entry.");
            }
        }

        foreach (var knob in knobs)
        {
            if (string.IsNullOrWhiteSpace(knob.Name))
            {
                throw new KnobSpaceException("a knob has an empty name; give every knob a name.");
            }

            if (!seen.Add(knob.Name))
            {
                throw new KnobSpaceException($"knob '{knob.Name}': declared twice; keep one declaration.");
            }

            ValidateRange(knob);
        }

        var byName = knobs.ToDictionary(knob => knob.Name, StringComparer.Ordinal);
        foreach (var knob in knobs)
        {
            ValidateCondition(knob, byName);
        }

        return OrderParentsFirst(knobs, byName);
    }

    private static void ValidateRange(KnobDefinition knob)
    {
        switch (knob)
        {
            case FloatKnob f:
                if (!double.IsFinite(f.Low) || !double.IsFinite(f.High))
                {
                    throw new KnobSpaceException($"knob '{f.Name}': bounds [{f.Low}, {f.High}] must be finite numbers.");
                }

                ValidateBounds(f.Name, f.Low, f.High, f.Scale);
                break;
            case IntegerKnob i:
                // Knob values are doubles, which hold every integer only up to 2^53 in magnitude.
                if (Math.Abs(i.Low) > MaxExactInteger || Math.Abs(i.High) > MaxExactInteger)
                {
                    throw new KnobSpaceException(
                        $"knob '{i.Name}': bounds [{i.Low}, {i.High}] exceed ±2^53, where integer knob values lose " +
                        "precision; use a smaller range or a log-scale float knob.");
                }

                ValidateBounds(i.Name, i.Low, i.High, i.Scale);
                break;
            case CategoricalKnob c:
                if (c.Values.IsDefaultOrEmpty)
                {
                    throw new KnobSpaceException($"knob '{c.Name}': no values; list at least one value.");
                }

                if (c.Values.Select(value => value.Kind).Distinct().Count() > 1)
                {
                    throw new KnobSpaceException(
                        $"knob '{c.Name}': values [{string.Join(", ", c.Values)}] mix types " +
                        $"({string.Join(", ", c.Values.Select(value => value.Kind).Distinct())}); use values of one type.");
                }

                ValidateValues(c.Name, c.Values);
                if (c.Values.Distinct().Count() != c.Values.Length)
                {
                    throw new KnobSpaceException(
                        $"knob '{c.Name}': values [{string.Join(", ", c.Values)}] repeat a value; list each value once.");
                }

                break;
            case FixedKnob x:
                ValidateValues(x.Name, [x.Value]);
                break;
        }
    }

    private static void ValidateValues(string name, IEnumerable<KnobValue> values)
    {
        foreach (var value in values)
        {
            if (value.Kind == KnobValueKind.Number && !double.IsFinite(value.Number))
            {
                throw new KnobSpaceException(
                    $"knob '{name}': value {value} is not a finite number; use a finite number.");
            }

            if (value.Kind == KnobValueKind.Text && value.Text is null)
            {
                throw new KnobSpaceException($"knob '{name}': a text value is null; use a string.");
            }
        }
    }

    private static void ValidateBounds(string name, double low, double high, KnobScale scale)
    {
        if (low > high)
        {
            throw new KnobSpaceException($"knob '{name}': low bound {low} is above high bound {high}; swap them.");
        }

        if (low == high)
        {
            throw new KnobSpaceException(
                $"knob '{name}': range [{low}, {high}] is empty; widen it or declare a fixed knob.");
        }

        if (scale == KnobScale.Log && low <= 0)
        {
            throw new KnobSpaceException(
                $"knob '{name}': low bound {low} is invalid for a log-scale range; use a value above 0.");
        }
    }

    private static void ValidateCondition(KnobDefinition knob, Dictionary<string, KnobDefinition> byName)
    {
        if (knob.Condition is not { } condition)
        {
            return;
        }

        if (!byName.TryGetValue(condition.Parent, out var parent))
        {
            throw new KnobSpaceException(
                $"knob '{knob.Name}': condition names unknown knob '{condition.Parent}'; name a declared categorical knob.");
        }

        if (parent is not CategoricalKnob categorical)
        {
            throw new KnobSpaceException(
                $"knob '{knob.Name}': condition parent '{parent.Name}' is not categorical; conditions need a categorical parent.");
        }

        if (condition.Values.IsDefaultOrEmpty)
        {
            throw new KnobSpaceException($"knob '{knob.Name}': condition on '{parent.Name}' lists no values; list at least one.");
        }

        foreach (var value in condition.Values.Where(value => !categorical.Values.Contains(value)))
        {
            throw new KnobSpaceException(
                $"knob '{knob.Name}': condition value '{value}' is not a value of '{parent.Name}' " +
                $"([{string.Join(", ", categorical.Values)}]); use one of those.");
        }
    }

    private static ImmutableArray<KnobDefinition> OrderParentsFirst(
        ImmutableArray<KnobDefinition> knobs, Dictionary<string, KnobDefinition> byName)
    {
        var ordered = ImmutableArray.CreateBuilder<KnobDefinition>(knobs.Length);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: visiting, true: done

        void Visit(KnobDefinition knob)
        {
            if (state.TryGetValue(knob.Name, out var done))
            {
                if (!done)
                {
                    throw new KnobSpaceException(
                        $"knob '{knob.Name}': conditions form a cycle; make the chain of parents end in an unconditional knob.");
                }

                return;
            }

            state[knob.Name] = false;
            if (knob.Condition is { } condition)
            {
                Visit(byName[condition.Parent]);
            }

            state[knob.Name] = true;
            ordered.Add(knob);
        }

        foreach (var knob in knobs)
        {
            Visit(knob);
        }

        return ordered.MoveToImmutable();
    }
}
