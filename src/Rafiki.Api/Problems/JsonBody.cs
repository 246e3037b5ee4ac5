using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Rafiki.Core;

namespace Rafiki.Api.Problems;

/// <summary>
/// Reads JSON request bodies strictly: the content type must be JSON, unknown members are rejected, and a syntax
/// or type error becomes a 400 that names the JSON path of the field and quotes the value found there.
/// </summary>
public static class JsonBody
{
    private const int QuotedValueLength = 60;

    /// <summary>Options of <see cref="RafikiJson.Options"/> that also reject members the type lacks.</summary>
    public static JsonSerializerOptions Strict { get; } = CreateStrict();

    /// <summary>Reads and deserializes the body; never returns null.</summary>
    /// <exception cref="ApiProblemException">415 for another content type, 400 for an empty, malformed or mistyped body.</exception>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new ApiProblemException(
                StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"content type '{request.ContentType ?? "(none)"}' is not supported here; send application/json.");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            throw ApiProblemException.Invalid("body", "empty; send a JSON object.");
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes.Span, Strict)
                ?? throw ApiProblemException.Invalid("body", "is null; send a JSON object.");
        }
        catch (JsonException e)
        {
            throw Describe(e, bytes);
        }
    }

    private static ApiProblemException Describe(JsonException error, ReadOnlyMemory<byte> body)
    {
        var field = FieldOf(error.Path);
        if (error.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var member = error.Message.Split('\'') is { Length: > 1 } parts ? parts[1] : "?";
            var path = field == "body" ? member : $"{field}.{member}";
            return ApiProblemException.Invalid(path, "unknown member; check its spelling against the API description at /openapi/v1.json.");
        }

        var found = ValueAt(body, error.Path);
        if (found is null)
        {
            var position = error.LineNumber is { } line ? $" at line {line + 1}, byte {error.BytePositionInLine + 1}" : "";
            return ApiProblemException.Invalid(field, $"malformed JSON{position}; send a valid JSON document.");
        }

        return ApiProblemException.Invalid(field, $"the value {found} has the wrong type; see the API description at /openapi/v1.json.");
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    // Returns the raw JSON at a simple path such as $.budget.maxTrials or $.queries[2], shortened. Returns null
    // when the body does not parse or the path leads nowhere.
    private static string? ValueAt(ReadOnlyMemory<byte> body, string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var element = document.RootElement;
            foreach (var segment in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = segment.Split('[')[0];
                if (name.Length > 0)
                {
                    if (element.ValueKind != JsonValueKind.Object || !TryGetPropertyIgnoringCase(element, name, out element))
                    {
                        return null;
                    }
                }

                var indexes = segment.Split('[').Skip(1)
                    .Select(part => int.Parse(part.TrimEnd(']'), System.Globalization.CultureInfo.InvariantCulture));
                foreach (var index in indexes)
                {
                    if (element.ValueKind != JsonValueKind.Array || index >= element.GetArrayLength())
                    {
                        return null;
                    }

                    element = element[index];
                }
            }

            var raw = element.GetRawText();
            return raw.Length > QuotedValueLength ? raw[..QuotedValueLength] + "..." : raw;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool TryGetPropertyIgnoringCase(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(RafikiJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
