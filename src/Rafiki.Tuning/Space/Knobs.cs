using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rafiki.Tuning;

/// <summary>
/// The knob values of one trial, by knob name. Only active knobs appear: a conditional knob whose condition
/// does not hold is absent. In JSON it is an object such as <c>{"lr": 0.001, "optimizer": "adam"}</c>.
/// </summary>
[JsonConverter(typeof(KnobsJsonConverter))]
public sealed class Knobs : IReadOnlyDictionary<string, KnobValue>, IEquatable<Knobs>
{
    private readonly ImmutableSortedDictionary<string, KnobValue> _values;

    public Knobs(IEnumerable<KeyValuePair<string, KnobValue>> values)
    {
        _values = values.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    /// <summary>A set with no knobs.</summary>
    public static Knobs Empty { get; } = new([]);

    public int Count => _values.Count;

    public IEnumerable<string> Keys => _values.Keys;

    public IEnumerable<KnobValue> Values => _values.Values;

    public KnobValue this[string key] =>
        _values.TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException($"Knob '{key}' is not set; set knobs: {string.Join(", ", _values.Keys)}.");

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, out KnobValue value) => _values.TryGetValue(key, out value);

    /// <summary>Returns a copy with one knob set or replaced.</summary>
    public Knobs With(string name, KnobValue value) => new(_values.SetItem(name, value));

    /// <summary>Returns the number value of a float knob.</summary>
    public double GetDouble(string name) => Expect(name, KnobValueKind.Number).Number;

    /// <summary>Returns the value of an integer knob.</summary>
    public int GetInt(string name) => checked((int)Math.Round(Expect(name, KnobValueKind.Number).Number));

    /// <summary>Returns the value of a string-valued categorical knob.</summary>
    public string GetString(string name) => Expect(name, KnobValueKind.Text).Text!;

    /// <summary>Returns the value of a boolean-valued categorical knob.</summary>
    public bool GetBool(string name) => Expect(name, KnobValueKind.Boolean).Boolean;

    public IEnumerator<KeyValuePair<string, KnobValue>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(Knobs? other) =>
        other is not null && other.Count == Count && _values.All(pair =>
            other._values.TryGetValue(pair.Key, out var value) && value.Equals(pair.Value));

    public override bool Equals(object? obj) => obj is Knobs other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var pair in _values)
        {
            hash.Add(pair.Key);
            hash.Add(pair.Value);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the knobs as <c>name=value</c> pairs, for logs and progress tables.</summary>
    public override string ToString() => string.Join(", ", _values.Select(pair => $"{pair.Key}={pair.Value}"));

    private KnobValue Expect(string name, KnobValueKind kind)
    {
        var value = this[name];
        return value.Kind == kind
            ? value
            : throw new InvalidOperationException($"Knob '{name}' holds a {value.Kind} value ({value}), not a {kind}.");
    }
}

/// <summary>Writes <see cref="Knobs"/> as a JSON object of plain values.</summary>
public sealed class KnobsJsonConverter : JsonConverter<Knobs>
{
    public override Knobs Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"Knobs must be a JSON object of name and value, not {document.RootElement.ValueKind}.");
        }

        return new Knobs(document.RootElement.EnumerateObject()
            .Select(property => KeyValuePair.Create(property.Name, KnobValue.FromJson(property.Value))));
    }

    public override void Write(Utf8JsonWriter writer, Knobs value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var pair in value)
        {
            writer.WritePropertyName(pair.Key);
            JsonSerializer.Serialize(writer, pair.Value, options);
        }

        writer.WriteEndObject();
    }
}
