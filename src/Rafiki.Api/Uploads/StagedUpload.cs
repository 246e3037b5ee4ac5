namespace Rafiki.Api.Uploads;

/// <summary>
/// The fields and files of one multipart upload. Files sit in a private staging folder outside the dataset store
/// until the import has validated them; dispose deletes the folder.
/// </summary>
public sealed class StagedUpload : IDisposable
{
    private readonly string _folder;

    public StagedUpload(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <summary>Form fields by name.</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>Staged file paths by form field name.</summary>
    public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Returns the path a file part is staged at; <paramref name="field"/> must be a fixed field name.</summary>
    public string PathFor(string field) => Path.Combine(_folder, field);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A reader may still have a file open; the next start of the API deletes the staging root.
        }
    }
}
