using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Rafiki.Tuning;

/// <summary>How a numeric knob's range is sampled: evenly, or evenly in the logarithm.</summary>
public enum KnobScale
{
    Linear,
    Log,
}

/// <summary>
/// Condition under which a knob is active: its parent categorical knob holds one of <see cref="Values"/>.
/// Example: <c>momentum</c> is active only when <c>optimizer</c> is <c>sgd</c>.
/// </summary>
public sealed record KnobCondition(string Parent, ImmutableArray<KnobValue> Values)
{
    /// <summary>Returns whether the condition holds for the given knobs (false when the parent is inactive).</summary>
    public bool HoldsFor(IReadOnlyDictionary<string, KnobValue> knobs) =>
        knobs.TryGetValue(Parent, out var value) && Values.Contains(value);
}

/// <summary>Declaration of one knob (hyperparameter) of a model family.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(FloatKnob), "float")]
[JsonDerivedType(typeof(IntegerKnob), "integer")]
[JsonDerivedType(typeof(CategoricalKnob), "categorical")]
[JsonDerivedType(typeof(FixedKnob), "fixed")]
public abstract record KnobDefinition(string Name)
{
    /// <summary>Condition for the knob to be active; null means always active.</summary>
    public KnobCondition? Condition { get; init; }

    /// <summary>
    /// Whether the knob changes the shapes of the model's parameters (layer widths, depth). A CoStudy trial that
    /// starts from another trial's checkpoint takes that trial's architecture knobs, so every tensor fits.
    /// </summary>
    public bool Architecture { get; init; }

    /// <summary>Draws a value uniformly (in the knob's scale) with the given random source.</summary>
    public abstract KnobValue Sample(Random random);

    /// <summary>Returns why <paramref name="value"/> is not a valid value of this knob, or null if it is.</summary>
    public abstract string? Check(KnobValue value);
}

/// <summary>A real-valued knob in [<see cref="Low"/>, <see cref="High"/>].</summary>
public sealed record FloatKnob(string Name, double Low, double High, KnobScale Scale = KnobScale.Linear)
    : KnobDefinition(Name)
{
    public override KnobValue Sample(Random random)
    {
        var u = random.NextDouble();
        var value = Scale == KnobScale.Log
            ? Math.Exp(Math.Log(Low) + (u * (Math.Log(High) - Math.Log(Low))))
            : Low + (u * (High - Low));
        return KnobValue.Of(Math.Clamp(value, Low, High));
    }

    public override string? Check(KnobValue value) =>
        value.Kind != KnobValueKind.Number ? $"expected a number, got '{value}'"
        : value.Number < Low || value.Number > High || double.IsNaN(value.Number)
            ? $"{value} is outside [{Low}, {High}]"
            : null;
}

/// <summary>An integer knob in [<see cref="Low"/>, <see cref="High"/>], both ends included.</summary>
public sealed record IntegerKnob(string Name, long Low, long High, KnobScale Scale = KnobScale.Linear)
    : KnobDefinition(Name)
{
    public override KnobValue Sample(Random random)
    {
        if (Scale == KnobScale.Log)
        {
            // Sample the log of [Low - 0.5, High + 0.5) so both ends are as likely as their neighbours allow.
            var low = Math.Log(Low - 0.5 <= 0 ? Low : Low - 0.5);
            var high = Math.Log(High + 0.5);
            var drawn = Math.Round(Math.Exp(low + (random.NextDouble() * (high - low))));
            return KnobValue.Of(Math.Clamp(drawn, Low, High));
        }

        return KnobValue.Of(random.NextInt64(Low, High + 1));
    }

    public override string? Check(KnobValue value) =>
        value.Kind != KnobValueKind.Number || value.Number != Math.Floor(value.Number)
            ? $"expected an integer, got '{value}'"
            : value.Number < Low || value.Number > High
                ? $"{value} is outside [{Low}, {High}]"
                : null;
}

/// <summary>A knob that takes one of a list of values, all of one type.</summary>
public sealed record CategoricalKnob(string Name, ImmutableArray<KnobValue> Values) : KnobDefinition(Name)
{
    public override KnobValue Sample(Random random) => Values[random.Next(Values.Length)];

    public override string? Check(KnobValue value) =>
        Values.Contains(value) ? null : $"'{value}' is not one of [{string.Join(", ", Values)}]";
}

/// <summary>A knob with one value that no advisor changes.</summary>
public sealed record FixedKnob(string Name, KnobValue Value) : KnobDefinition(Name)
{
    public override KnobValue Sample(Random random) => Value;

    public override string? Check(KnobValue value) => value.Equals(Value) ? null : $"must be {Value}, got '{value}'";
}
