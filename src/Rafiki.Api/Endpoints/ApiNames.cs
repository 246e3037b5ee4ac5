using System.Text.Json;
using Rafiki.Core;

namespace Rafiki.Api.Endpoints;

/// <summary>Converts enums of the actor layer to the kebab-case names the API uses, as <see cref="RafikiJson"/> writes them.</summary>
public static class ApiNames
{
    /// <summary>Returns the JSON name of an enum value, such as <c>image-classification</c>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonSerializer.Serialize(value, RafikiJson.Options).Trim('"');

    /// <summary>Parses a JSON enum name; returns null when it names no value.</summary>
    public static TEnum? Parse<TEnum>(string? name)
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Cast<TEnum?>().FirstOrDefault(value => Of(value!.Value) == name);
}
