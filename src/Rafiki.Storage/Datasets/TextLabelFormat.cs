using System.Text;
using System.Text.Json;

namespace Rafiki.Storage.Datasets;

/// <summary>Limits on an uploaded text dataset.</summary>
/// <param name="MaxRows">Maximum number of texts in a file.</param>
/// <param name="MaxTextLength">Maximum length of one text, in characters.</param>
public sealed record TextLimits(int MaxRows = 1_000_000, int MaxTextLength = 100_000)
{
    public static TextLimits Default { get; } = new();
}

/// <summary>
/// Reads texts with labels from UTF-8 CSV (RFC 4180: a header row naming the columns <c>text</c> and
/// <c>label</c>, fields in double quotes may contain commas, line breaks and doubled quotes) or from JSON Lines
/// (one object <c>{"text": "...", "label": "..."}</c> per line). Class names are the distinct labels in
/// ordinal order. Empty texts, empty labels and rows past the limits are rejected with the row number.
/// </summary>
public static class TextLabelFormat
{
    /// <summary>Reads a CSV file; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="DatasetFormatException">The file is invalid.</exception>
    public static TextDataset ReadCsv(Stream stream, string name, TextLimits? limits = null)
    {
        limits ??= TextLimits.Default;
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), leaveOpen: true);
        var rows = new List<(string Text, string Label, int Row)>();
        int textColumn = -1, labelColumn = -1, columns = 0;
        var rowNumber = 0;
        try
        {
            foreach (var fields in CsvRows(reader, name, limits))
            {
                rowNumber++;
                if (rowNumber == 1)
                {
                    var header = fields.Select(field => field.Trim().ToLowerInvariant()).ToList();
                    textColumn = header.IndexOf("text");
                    labelColumn = header.IndexOf("label");
                    columns = header.Count;
                    if (textColumn < 0 || labelColumn < 0)
                    {
                        throw new DatasetFormatException(
                            $"{name}: the header row '{string.Join(",", fields)}' lacks a text or label column; " +
                            "start the file with the line text,label.");
                    }

                    continue;
                }

                if (fields.Count == 1 && fields[0].Length == 0)
                {
                    continue;
                }

                if (fields.Count != columns)
                {
                    throw new DatasetFormatException(
                        $"{name}: row {rowNumber} has {fields.Count} fields but the header has {columns}; quote fields that contain commas.");
                }

                rows.Add((fields[textColumn], fields[labelColumn], rowNumber));
                RequireRowLimit(rows.Count, name, limits);
            }
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException($"{name}: not valid UTF-8 near row {rowNumber + 1}; save the file as UTF-8.", e);
        }

        return Build(rows, name, limits);
    }

    /// <summary>Reads a JSON Lines file; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="DatasetFormatException">The file is invalid.</exception>
    public static TextDataset ReadJsonl(Stream stream, string name, TextLimits? limits = null)
    {
        limits ??= TextLimits.Default;
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), leaveOpen: true);
        var rows = new List<(string Text, string Label, int Row)>();
        var lineNumber = 0;
        try
        {
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (line.Length > (limits.MaxTextLength * 2L) + 1024)
                {
                    throw new DatasetFormatException(
                        $"{name}: line {lineNumber} has {line.Length} characters, more than a text of at most {limits.MaxTextLength} needs.");
                }

                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                rows.Add(ParseJsonLine(line, lineNumber, name));
                RequireRowLimit(rows.Count, name, limits);
            }
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException($"{name}: not valid UTF-8 near line {lineNumber + 1}; save the file as UTF-8.", e);
        }

        return Build(rows, name, limits);
    }

    private static (string Text, string Label, int Row) ParseJsonLine(string line, int lineNumber, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetFormatException($"{name}: line {lineNumber} is a JSON {root.ValueKind}, not an object with text and label.");
            }

            return (StringMember(root, "text", lineNumber, name), StringMember(root, "label", lineNumber, name), lineNumber);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException($"{name}: line {lineNumber} is not valid JSON ({e.Message}).", e);
        }
    }

    private static string StringMember(JsonElement row, string member, int lineNumber, string name)
    {
        if (!row.TryGetProperty(member, out var value))
        {
            throw new DatasetFormatException($"{name}: line {lineNumber} has no \"{member}\" member; give every line text and label.");
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new DatasetFormatException(
                $"{name}: line {lineNumber}: \"{member}\" is a JSON {value.ValueKind}; use a string."),
        };
    }

    private static TextDataset Build(List<(string Text, string Label, int Row)> rows, string name, TextLimits limits)
    {
        if (rows.Count == 0)
        {
            throw new DatasetFormatException($"{name}: contains no texts; add rows of text and label.");
        }

        foreach (var (text, label, row) in rows)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new DatasetFormatException($"{name}: row {row} has an empty text; remove the row or fill in the text.");
            }

            if (text.Length > limits.MaxTextLength)
            {
                throw new DatasetFormatException(
                    $"{name}: row {row} has a text of {text.Length} characters, more than the limit of {limits.MaxTextLength}.");
            }

            if (string.IsNullOrWhiteSpace(label))
            {
                throw new DatasetFormatException($"{name}: row {row} has an empty label; give every text a label.");
            }
        }

        var classNames = rows.Select(row => row.Label.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = classNames.Select((className, i) => (className, i)).ToDictionary(pair => pair.className, pair => pair.i, StringComparer.Ordinal);
        return new TextDataset(classNames, [.. rows.Select(row => row.Text)], [.. rows.Select(row => index[row.Label.Trim()])]);
    }

    private static void RequireRowLimit(int count, string name, TextLimits limits)
    {
        if (count > limits.MaxRows)
        {
            throw new DatasetFormatException($"{name}: contains more than {limits.MaxRows} texts, the limit; split the dataset.");
        }
    }

    // Yields the fields of each CSV record; a quoted field may span lines.
    private static IEnumerable<List<string>> CsvRows(StreamReader reader, string name, TextLimits limits)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var atFieldStart = true;
        var record = 1;
        int next;
        while ((next = reader.Read()) >= 0)
        {
            var c = (char)next;
            if (field.Length > limits.MaxTextLength)
            {
                throw new DatasetFormatException(
                    $"{name}: record {record} has a field longer than the limit of {limits.MaxTextLength} characters.");
            }

            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (reader.Peek() == '"')
                {
                    reader.Read();
                    field.Append('"');
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when atFieldStart:
                    quoted = true;
                    atFieldStart = false;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    yield return fields;
                    fields = [];
                    record++;
                    break;
                default:
                    field.Append(c);
                    atFieldStart = false;
                    break;
            }
        }

        if (quoted)
        {
            throw new DatasetFormatException($"{name}: record {record} opens a quoted field that never closes; the file may be truncated.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}
