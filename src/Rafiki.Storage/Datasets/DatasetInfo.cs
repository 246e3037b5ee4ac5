using Rafiki.Core;

namespace Rafiki.Storage.Datasets;

/// <summary>Metadata of a stored dataset, kept beside its data as <c>dataset.json</c>.</summary>
/// <param name="Id">Store id, such as <c>ds-20261204-1a2b3c</c>.</param>
/// <param name="Name">Name the user gave it; unique per owner is not enforced.</param>
/// <param name="Task">Task the dataset is labelled for.</param>
/// <param name="Format">Format it was imported from: <c>idx</c>, <c>image-zip</c>, <c>csv</c> or <c>jsonl</c>.</param>
/// <param name="Count">Number of examples.</param>
/// <param name="Channels">Channels per image (1 grey, 3 RGB).</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="ClassNames">Class names; labels index into this list.</param>
/// <param name="CreatedAt">When the import finished (UTC).</param>
/// <param name="Owner">User who uploaded it; null for datasets imported by the node itself.</param>
public sealed record DatasetInfo(
    string Id,
    string Name,
    TaskType Task,
    string Format,
    int Count,
    int Channels,
    int Height,
    int Width,
    IReadOnlyList<string> ClassNames,
    DateTimeOffset CreatedAt,
    string? Owner = null);
