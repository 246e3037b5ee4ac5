using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Rafiki.Storage.Datasets;

/// <summary>Limits that protect the store from oversized or hostile archives.</summary>
/// <param name="MaxEntries">Most files an archive may hold.</param>
/// <param name="MaxUncompressedBytes">Most bytes all files may hold once decompressed.</param>
/// <param name="MaxCompressionRatio">Highest ratio of uncompressed to compressed size of one file.</param>
public sealed record ArchiveLimits(int MaxEntries = 200_000, long MaxUncompressedBytes = 2L << 30, double MaxCompressionRatio = 200)
{
    public static ArchiveLimits Default { get; } = new();
}

/// <summary>
/// Reads an image-folder zip: one folder per class, named after the class, holding that class's images
/// (<c>class_name/*.png</c>; JPEG, BMP and GIF work too). Every image must have the same size. Images whose
/// pixels are all grey become one channel, otherwise three (RGB).
/// </summary>
public static class ImageFolderZip
{
    private static readonly HashSet<string> ImageExtensions =
        new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif" };

    /// <summary>Reads the archive at <paramref name="path"/>.</summary>
    /// <exception cref="DatasetFormatException">The archive, an entry or an image is invalid.</exception>
    public static ImageDataset Read(string path, ArchiveLimits? limits = null)
    {
        using var file = File.OpenRead(path);
        return Read(file, Path.GetFileName(path), limits);
    }

    /// <summary>Reads an archive from a stream; <paramref name="name"/> names it in errors.</summary>
    public static ImageDataset Read(Stream stream, string name, ArchiveLimits? limits = null)
    {
        limits ??= ArchiveLimits.Default;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException($"{name}: not a readable zip archive ({e.Message}); upload a .zip file.", e);
        }

        using (archive)
        {
            var entries = SelectImageEntries(archive, name, limits);
            return Decode(entries, name);
        }
    }

    private static List<(string ClassName, ZipArchiveEntry Entry)> SelectImageEntries(
        ZipArchive archive, string name, ArchiveLimits limits)
    {
        if (archive.Entries.Count > limits.MaxEntries)
        {
            throw new DatasetFormatException(
                $"{name}: holds {archive.Entries.Count} entries, more than the limit of {limits.MaxEntries}; split the dataset.");
        }

        var selected = new List<(string, ZipArchiveEntry)>();
        var folders = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var entry in archive.Entries)
        {
            var entryName = entry.FullName.Replace('\\', '/');
            if (entryName.StartsWith('/') || entryName.Split('/').Contains("..") || entryName.Contains(':'))
            {
                throw new DatasetFormatException(
                    $"{name}: entry '{entry.FullName}' points outside the archive; use relative paths such as class/image.png.");
            }

            total += entry.Length;
            if (total > limits.MaxUncompressedBytes)
            {
                throw new DatasetFormatException(
                    $"{name}: decompresses to more than {limits.MaxUncompressedBytes} bytes; upload a smaller dataset.");
            }

            if (entry.CompressedLength > 0 && (double)entry.Length / entry.CompressedLength > limits.MaxCompressionRatio)
            {
                throw new DatasetFormatException(
                    $"{name}: entry '{entry.FullName}' expands {entry.Length / entry.CompressedLength}x, above the limit of " +
                    $"{limits.MaxCompressionRatio}x for one file; this looks like a decompression bomb.");
            }

            var parts = entryName.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var isHidden = parts.Any(part => part.StartsWith('.') || part == "__MACOSX");
            if (isHidden)
            {
                continue;
            }

            if (entryName.EndsWith('/'))
            {
                if (parts.Length == 1)
                {
                    folders.Add(parts[0]);
                }

                continue;
            }

            if (!ImageExtensions.Contains(Path.GetExtension(entryName)))
            {
                throw new DatasetFormatException(
                    $"{name}: entry '{entry.FullName}' is not an image (.png, .jpg, .bmp or .gif); remove it.");
            }

            if (parts.Length != 2)
            {
                throw new DatasetFormatException(
                    $"{name}: image '{entry.FullName}' is not directly inside a class folder; " +
                    "lay the archive out as class_name/image.png.");
            }

            selected.Add((parts[0], entry));
        }

        if (selected.Count == 0)
        {
            throw new DatasetFormatException($"{name}: contains no images; add class folders with images in them.");
        }

        var empty = folders.Except(selected.Select(s => s.Item1), StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault();
        if (empty is not null)
        {
            throw new DatasetFormatException($"{name}: class folder '{empty}/' contains no images; add images or remove the folder.");
        }

        return selected;
    }

    private static ImageDataset Decode(List<(string ClassName, ZipArchiveEntry Entry)> entries, string name)
    {
        var classNames = entries.Select(e => e.ClassName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var classIndex = classNames.Select((className, index) => (className, index)).ToDictionary(p => p.className, p => p.index);
        var ordered = entries.OrderBy(e => e.Entry.FullName, StringComparer.Ordinal).ToList();

        int width = 0, height = 0;
        var rgb = new List<Rgb24[]>(ordered.Count);
        var labels = new int[ordered.Count];
        var allGrey = true;
        for (var i = 0; i < ordered.Count; i++)
        {
            var (className, entry) = ordered[i];
            using var image = LoadImage(entry, name);
            if (i == 0)
            {
                (width, height) = (image.Width, image.Height);
            }
            else if (image.Width != width || image.Height != height)
            {
                throw new DatasetFormatException(
                    $"{name}: image '{entry.FullName}' is {image.Width}x{image.Height} but " +
                    $"'{ordered[0].Entry.FullName}' is {width}x{height}; resize all images to one size.");
            }

            var pixels = new Rgb24[width * height];
            image.CopyPixelDataTo(pixels);
            allGrey &= pixels.All(p => p.R == p.G && p.G == p.B);
            rgb.Add(pixels);
            labels[i] = classIndex[className];
        }

        var channels = allGrey ? 1 : 3;
        var bytes = new byte[ordered.Count * channels * width * height];
        var plane = width * height;
        for (var i = 0; i < rgb.Count; i++)
        {
            var offset = i * channels * plane;
            for (var p = 0; p < plane; p++)
            {
                var pixel = rgb[i][p];
                bytes[offset + p] = pixel.R;
                if (channels == 3)
                {
                    bytes[offset + plane + p] = pixel.G;
                    bytes[offset + (2 * plane) + p] = pixel.B;
                }
            }
        }

        return new ImageDataset(channels, height, width, classNames, bytes, labels);
    }

    private static Image<Rgb24> LoadImage(ZipArchiveEntry entry, string name)
    {
        try
        {
            using var stream = entry.Open();
            return Image.Load<Rgb24>(stream);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or InvalidDataException or NotSupportedException)
        {
            throw new DatasetFormatException($"{name}: image '{entry.FullName}' is unreadable ({e.Message}); replace or remove it.", e);
        }
    }
}
