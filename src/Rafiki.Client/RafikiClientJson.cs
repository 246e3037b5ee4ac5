using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rafiki.Client;

/// <summary>JSON settings of the API: camelCase names, no null members, enums as kebab-case strings.</summary>
public static class RafikiClientJson
{
    /// <summary>Options the client uses for requests and responses.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
