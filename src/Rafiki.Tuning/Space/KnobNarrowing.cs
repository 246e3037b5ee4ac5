using System.Collections.Immutable;
using System.Text.Json;

namespace Rafiki.Tuning;

/// <summary>
/// A user's restriction of one declared knob, from the <c>knobs</c> object of a train job: a range inside the
/// declared range of a numeric knob, or a list of allowed values.
/// </summary>
/// <remarks>
/// In JSON a narrowing is <c>{"low": 0.001, "high": 0.01}</c> (either bound may be left out to keep the declared
/// one), a list such as <c>["adam"]</c> or <c>[32, 64]</c>, or one plain value such as <c>0.5</c> that fixes the knob.
/// </remarks>
/// <param name="Low">New low bound of a numeric knob; null keeps the declared one.</param>
/// <param name="High">New high bound of a numeric knob; null keeps the declared one.</param>
/// <param name="Values">Allowed values; default (not empty) when the narrowing is a range.</param>
public sealed record KnobNarrowing(double? Low, double? High, ImmutableArray<KnobValue> Values)
{
    /// <summary>Whether this narrowing lists values rather than bounds.</summary>
    public bool IsChoice => !Values.IsDefault;

    /// <summary>Creates a range narrowing; a null bound keeps the declared one.</summary>
    public static KnobNarrowing Range(double? low, double? high) => new(low, high, default);

    /// <summary>Creates a narrowing to the listed values; one value fixes the knob.</summary>
    public static KnobNarrowing Choices(params KnobValue[] values) => new(null, null, [.. values]);

    /// <summary>Reads the narrowing of knob <paramref name="name"/> from its JSON value.</summary>
    /// <exception cref="KnobSpaceException">The JSON has none of the accepted shapes.</exception>
    public static KnobNarrowing FromJson(string name, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return ReadRange(name, element);
            case JsonValueKind.Array:
                return new(null, null, [.. element.EnumerateArray().Select(item => ReadValue(name, item))]);
            case JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False:
                return Choices(KnobValue.FromJson(element));
            default:
                throw new KnobSpaceException(
                    $"knob '{name}': narrowing {element.GetRawText()} is invalid; use {{\"low\": L, \"high\": H}}, " +
                    "a list of values or one value.");
        }
    }

    private static KnobNarrowing ReadRange(string name, JsonElement element)
    {
        double? low = null;
        double? high = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number)
            {
                throw new KnobSpaceException(
                    $"knob '{name}': narrowing bound '{property.Name}' is {property.Value.GetRawText()}, not a number; " +
                    "use a number.");
            }

            switch (property.Name)
            {
                case "low":
                    low = property.Value.GetDouble();
                    break;
                case "high":
                    high = property.Value.GetDouble();
                    break;
                default:
                    throw new KnobSpaceException(
                        $"knob '{name}': narrowing has unknown field '{property.Name}'; use 'low' and 'high'.");
            }
        }

        if (low is null && high is null)
        {
            throw new KnobSpaceException($"knob '{name}': narrowing {{}} sets no bound; set 'low', 'high' or both.");
        }

        return Range(low, high);
    }

    private static KnobValue ReadValue(string name, JsonElement item) =>
        item.ValueKind is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False
            ? KnobValue.FromJson(item)
            : throw new KnobSpaceException(
                $"knob '{name}': narrowing list item {item.GetRawText()} is not a number, string or boolean; " +
                "list plain values.");
}
