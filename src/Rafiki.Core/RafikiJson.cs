using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rafiki.Core;

/// <summary>JSON settings shared by the serializer, the stores, the CLI summary and the HTTP API.</summary>
public static class RafikiJson
{
    /// <summary>Options for compact machine-readable JSON: camelCase names and enums as strings.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>The same options with indentation, for files people read.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
