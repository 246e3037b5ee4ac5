using System.Text.Json;
using Rafiki.Core;

namespace Rafiki.Storage.Datasets;

/// <summary>
/// Stores validated datasets under <c>{root}/{id}/</c> (metadata, pixels and labels in separate files) and keeps
/// recently loaded datasets in memory, so trials on the same node share one copy.
/// </summary>
public sealed partial class DatasetStore
{
    private const string InfoFile = "dataset.json";
    private const string PixelsFile = "pixels.bin";
    private const string LabelsFile = "labels.bin";

    private readonly string _root;
    private readonly LruCache<string, ImageDataset> _cache;
    private readonly Lock _writeLock = new();

    /// <param name="root">Folder of the store; created if missing.</param>
    /// <param name="cacheCapacity">How many datasets stay loaded in memory.</param>
    public DatasetStore(string root, int cacheCapacity = 4)
    {
        _root = root;
        _cache = new LruCache<string, ImageDataset>(cacheCapacity);
        Directory.CreateDirectory(root);
    }

    /// <summary>Reads an IDX images/labels pair and stores it as a new image-classification dataset.</summary>
    /// <exception cref="DatasetFormatException">A file is invalid; nothing is stored.</exception>
    public DatasetInfo ImportIdx(string name, string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null, string? owner = null) =>
        Add(name, "idx", IdxFormat.Read(imagesPath, labelsPath, classNames), owner);

    /// <summary>Reads an image-folder zip and stores it as a new image-classification dataset.</summary>
    /// <exception cref="DatasetFormatException">The archive is invalid; nothing is stored.</exception>
    public DatasetInfo ImportImageZip(string name, Stream archive, ArchiveLimits? limits = null, string? owner = null) =>
        Add(name, "image-zip", ImageFolderZip.Read(archive, name, limits), owner);

    /// <summary>Stores an image dataset that is already in memory.</summary>
    public DatasetInfo Add(string name, string format, ImageDataset data, string? owner = null)
    {
        if (data.Count == 0)
        {
            throw new DatasetFormatException($"{name}: contains no examples; import a dataset with at least one image.");
        }

        var info = new DatasetInfo(
            Ids.New("ds"), name, TaskType.ImageClassification, format, data.Count, data.Channels, data.Height,
            data.Width, data.ClassNames, DateTimeOffset.UtcNow, owner);

        return Commit(info, data.Labels, folder => File.WriteAllBytes(Path.Combine(folder, PixelsFile), data.Pixels));
    }

    /// <summary>Lists stored datasets, oldest first.</summary>
    public IReadOnlyList<DatasetInfo> List() =>
        Directory.EnumerateDirectories(_root)
            .Where(folder => !Path.GetFileName(folder).StartsWith('.'))
            .Select(folder => TryReadInfo(Path.GetFileName(folder)))
            .OfType<DatasetInfo>()
            .OrderBy(info => info.CreatedAt)
            .ToList();

    /// <summary>Returns a dataset's metadata, or null if no dataset has that id.</summary>
    public DatasetInfo? Find(string id) => IsValidId(id) ? TryReadInfo(id) : null;

    /// <summary>Returns the newest dataset with the given name, or null.</summary>
    public DatasetInfo? FindByName(string name) => List().LastOrDefault(info => info.Name == name);

    /// <summary>Returns a dataset's images from the in-memory cache, loading them on first use.</summary>
    /// <exception cref="KeyNotFoundException">No dataset has that id.</exception>
    public ImageDataset LoadImages(string id)
    {
        var info = Find(id) ?? throw new KeyNotFoundException($"dataset '{id}' not found; list datasets to see the ids.");
        return _cache.GetOrAdd(id, _ => ReadImages(info));
    }

    /// <summary>Deletes a dataset; returns false if it did not exist.</summary>
    public bool Delete(string id)
    {
        if (Find(id) is null)
        {
            return false;
        }

        _cache.Remove(id);
        lock (_writeLock)
        {
            var trash = Path.Combine(_root, $".{id}.deleted");
            Directory.Move(Path.Combine(_root, id), trash);
            Directory.Delete(trash, recursive: true);
        }

        return true;
    }

    // Writes into a temporary folder and renames it, so a crash never leaves a half-written dataset behind.
    private DatasetInfo Commit(DatasetInfo info, int[] labels, Action<string> writeExamples)
    {
        var temporary = Path.Combine(_root, $".{info.Id}.tmp");
        Directory.CreateDirectory(temporary);
        writeExamples(temporary);
        File.WriteAllBytes(Path.Combine(temporary, LabelsFile), LabelBytes(labels));
        File.WriteAllText(Path.Combine(temporary, InfoFile), JsonSerializer.Serialize(info, RafikiJson.Indented));
        lock (_writeLock)
        {
            Directory.Move(temporary, Path.Combine(_root, info.Id));
        }

        return info;
    }

    private static byte[] LabelBytes(int[] labels)
    {
        var bytes = new byte[labels.Length * sizeof(int)];
        Buffer.BlockCopy(labels, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static int[] ReadLabels(string folder)
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, LabelsFile));
        var labels = new int[bytes.Length / sizeof(int)];
        Buffer.BlockCopy(bytes, 0, labels, 0, bytes.Length);
        return labels;
    }

    private ImageDataset ReadImages(DatasetInfo info)
    {
        var folder = Path.Combine(_root, info.Id);
        var pixels = File.ReadAllBytes(Path.Combine(folder, PixelsFile));
        var labels = ReadLabels(folder);
        return new ImageDataset(info.Channels, info.Height, info.Width, info.ClassNames, pixels, labels);
    }

    private DatasetInfo? TryReadInfo(string id)
    {
        var path = Path.Combine(_root, id, InfoFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<DatasetInfo>(File.ReadAllText(path), RafikiJson.Options) : null;
    }

    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
