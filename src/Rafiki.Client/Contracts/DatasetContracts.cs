namespace Rafiki.Client.Contracts;

/// <summary>Names of the dataset upload formats of <c>POST /datasets</c>.</summary>
public static class DatasetFormats
{
    /// <summary>Two files, <c>images</c> (idx3-ubyte) and <c>labels</c> (idx1-ubyte), plain or gzipped.</summary>
    public const string Idx = "idx";

    /// <summary>One zip file laid out as <c>class_name/image.png</c>.</summary>
    public const string ImageZip = "image-zip";

    /// <summary>One UTF-8 CSV file with a header row that names the columns <c>text</c> and <c>label</c>.</summary>
    public const string Csv = "csv";

    /// <summary>One UTF-8 file with a JSON object <c>{"text": ..., "label": ...}</c> on each line.</summary>
    public const string Jsonl = "jsonl";

    /// <summary>Every upload format.</summary>
    public static IReadOnlyList<string> All { get; } = [Idx, ImageZip, Csv, Jsonl];
}

/// <summary>Task names used by datasets and train jobs.</summary>
public static class TaskNames
{
    public const string ImageClassification = "image-classification";

    public const string ObjectDetection = "object-detection";

    public const string TextClassification = "text-classification";
}

/// <summary>A stored dataset.</summary>
/// <param name="Id">Dataset id.</param>
/// <param name="Name">Name given at upload.</param>
/// <param name="Task">Task the dataset is labelled for, such as <c>image-classification</c>.</param>
/// <param name="Format">Upload format, one of <see cref="DatasetFormats.All"/>.</param>
/// <param name="Count">Number of examples.</param>
/// <param name="Channels">Channels per image; 0 for text.</param>
/// <param name="Height">Image height in pixels; 0 for text.</param>
/// <param name="Width">Image width in pixels; 0 for text.</param>
/// <param name="ClassNames">Class names; labels index into this list.</param>
/// <param name="CreatedAt">When the upload was stored.</param>
/// <param name="Owner">Id of the user who uploaded it; null for datasets the node imported itself.</param>
public sealed record DatasetView(
    string Id,
    string Name,
    string Task,
    string Format,
    int Count,
    int Channels,
    int Height,
    int Width,
    IReadOnlyList<string> ClassNames,
    DateTimeOffset CreatedAt,
    string? Owner);
