using System.Text.Json;
using Rafiki.Api.Problems;

namespace Rafiki.Api.Predictions;

/// <summary>Reads JSON arrays of pixel values (flat or nested, rectangular) into bytes with their shape.</summary>
public static class PixelTensor
{
    /// <summary>Returns the shape of a nested JSON array and its values as bytes 0 to 255, row-major.</summary>
    /// <param name="data">A JSON number or array of arrays of numbers.</param>
    /// <param name="field">Field path for errors.</param>
    /// <param name="maxValues">Maximum number of values, so a huge array fails before it is copied.</param>
    /// <exception cref="ApiProblemException">400 naming the field: not rectangular, not numbers, outside 0 to 255, or too many.</exception>
    public static (List<long> Shape, byte[] Values) Read(JsonElement data, string field, long maxValues)
    {
        var shape = new List<long>();
        var probe = data;
        while (probe.ValueKind == JsonValueKind.Array)
        {
            shape.Add(probe.GetArrayLength());
            if (probe.GetArrayLength() == 0)
            {
                break;
            }

            probe = probe[0];
        }

        var total = shape.Aggregate(1L, (product, size) => product * size);
        if (total > maxValues)
        {
            throw ApiProblemException.Invalid(field, $"contains {total} values, more than the maximum of {maxValues} for this request.");
        }

        var values = new byte[total];
        var written = 0;
        Copy(data, 0, shape, values, ref written, field);
        return (shape, values);
    }

    private static void Copy(JsonElement element, int depth, List<long> shape, byte[] values, ref int written, string field)
    {
        if (depth == shape.Count)
        {
            values[written++] = ToPixel(element, field, written);
            return;
        }

        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != shape[depth])
        {
            var length = element.ValueKind == JsonValueKind.Array ? element.GetArrayLength() : 0;
            throw ApiProblemException.Invalid(field,
                $"is not a rectangular array: a row at depth {depth} has {length} " +
                $"elements where {shape[depth]} were expected.");
        }

        foreach (var item in element.EnumerateArray())
        {
            Copy(item, depth + 1, shape, values, ref written, field);
        }
    }

    private static byte ToPixel(JsonElement element, string field, int index)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value))
        {
            throw ApiProblemException.Invalid(field, $"value {index} is {Describe(element)}, not a number; send pixel values 0 to 255.");
        }

        if (value is < 0 or > 255 || double.IsNaN(value))
        {
            throw ApiProblemException.Invalid(field, $"value {index} is {element.GetRawText()}, outside 0 to 255; send pixel values 0 to 255.");
        }

        return (byte)Math.Round(value);
    }

    private static string Describe(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw.Length > 40 ? raw[..40] + "..." : raw;
    }
}
