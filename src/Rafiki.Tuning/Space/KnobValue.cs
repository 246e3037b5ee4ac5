using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rafiki.Tuning;

/// <summary>Type of a knob value.</summary>
public enum KnobValueKind
{
    Number,
    Text,
    Boolean,
}

/// <summary>
/// One knob value: a number (integer knobs hold whole numbers), a string or a boolean.
/// In JSON it is the plain value: <c>0.001</c>, <c>"adam"</c> or <c>true</c>.
/// </summary>
[JsonConverter(typeof(KnobValueJsonConverter))]
public readonly record struct KnobValue
{
    private KnobValue(KnobValueKind kind, double number, string? text, bool boolean)
    {
        Kind = kind;
        Number = number;
        Text = text;
        Boolean = boolean;
    }

    /// <summary>Type of the value.</summary>
    public KnobValueKind Kind { get; }

    /// <summary>The number, when <see cref="Kind"/> is <see cref="KnobValueKind.Number"/>.</summary>
    public double Number { get; }

    /// <summary>The string, when <see cref="Kind"/> is <see cref="KnobValueKind.Text"/>.</summary>
    public string? Text { get; }

    /// <summary>The boolean, when <see cref="Kind"/> is <see cref="KnobValueKind.Boolean"/>.</summary>
    public bool Boolean { get; }

    public static KnobValue Of(double number) => new(KnobValueKind.Number, number, null, false);

    public static KnobValue Of(string text) => new(KnobValueKind.Text, 0, text, false);

    public static KnobValue Of(bool boolean) => new(KnobValueKind.Boolean, 0, null, boolean);

    public static implicit operator KnobValue(double number) => Of(number);

    public static implicit operator KnobValue(string text) => Of(text);

    public static implicit operator KnobValue(bool boolean) => Of(boolean);

    public override string ToString() => Kind switch
    {
        KnobValueKind.Number => Number.ToString("G6", CultureInfo.InvariantCulture),
        KnobValueKind.Text => Text ?? "",
        _ => Boolean ? "true" : "false",
    };

    /// <summary>Reads a knob value from a JSON number, string or boolean.</summary>
    public static KnobValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => Of(element.GetDouble()),
        JsonValueKind.String => Of(element.GetString()!),
        JsonValueKind.True => Of(true),
        JsonValueKind.False => Of(false),
        _ => throw new JsonException(
            $"A knob value must be a number, a string or a boolean, not {element.ValueKind}: {element.GetRawText()}."),
    };
}

/// <summary>Writes a <see cref="KnobValue"/> as a plain JSON value.</summary>
public sealed class KnobValueJsonConverter : JsonConverter<KnobValue>
{
    public override KnobValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return KnobValue.FromJson(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, KnobValue value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case KnobValueKind.Number:
                writer.WriteNumberValue(value.Number);
                break;
            case KnobValueKind.Text:
                writer.WriteStringValue(value.Text);
                break;
            default:
                writer.WriteBooleanValue(value.Boolean);
                break;
        }
    }
}
