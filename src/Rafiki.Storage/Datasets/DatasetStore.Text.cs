using System.Text.Json;
using Rafiki.Core;

namespace Rafiki.Storage.Datasets;

public sealed partial class DatasetStore
{
    private const string TextsFile = "texts.jsonl";

    /// <summary>
    /// Stores texts with labels as a new text-classification dataset, under the same folder layout as images:
    /// texts as one JSON string per line, labels as 32-bit integers.
    /// </summary>
    /// <exception cref="DatasetFormatException">The dataset contains no texts; nothing is stored.</exception>
    public DatasetInfo AddText(string name, string format, TextDataset data, string? owner = null)
    {
        if (data.Count == 0)
        {
            throw new DatasetFormatException($"{name}: contains no texts; upload a dataset with at least one text.");
        }

        var info = new DatasetInfo(
            Ids.New("ds"), name, TaskType.TextClassification, format, data.Count, 0, 0, 0, data.ClassNames,
            DateTimeOffset.UtcNow, owner);
        return Commit(info, data.Labels, folder => File.WriteAllLines(
            Path.Combine(folder, TextsFile), data.Texts.Select(text => JsonSerializer.Serialize(text, RafikiJson.Options))));
    }

    /// <summary>Reads a text dataset's texts and labels.</summary>
    /// <exception cref="KeyNotFoundException">No text dataset has that id.</exception>
    public TextDataset LoadTexts(string id)
    {
        var info = Find(id);
        if (info is null || info.Task != TaskType.TextClassification)
        {
            throw new KeyNotFoundException($"text dataset '{id}' not found; list datasets to see the ids.");
        }

        var folder = Path.Combine(_root, info.Id);
        var texts = File.ReadLines(Path.Combine(folder, TextsFile))
            .Select(line => JsonSerializer.Deserialize<string>(line, RafikiJson.Options) ?? "")
            .ToArray();
        return new TextDataset(info.ClassNames, texts, ReadLabels(folder));
    }
}
