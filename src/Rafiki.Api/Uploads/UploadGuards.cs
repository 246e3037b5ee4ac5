using System.IO.Compression;
using Rafiki.Api.Problems;
using SixLabors.ImageSharp;

namespace Rafiki.Api.Uploads;

/// <summary>
/// Checks staged uploads before the dataset readers decode them: gzip files must not expand past the limits, and
/// every image in a zip must have sane dimensions, so a small file that claims a huge image cannot exhaust memory.
/// Entry names and declared sizes of zips are checked here first and again by <c>ImageFolderZip</c>.
/// </summary>
public static class UploadGuards
{
    private static readonly HashSet<string> ImageExtensions =
        new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif" };

    /// <summary>Decompresses a gzipped file without keeping the output and rejects it past the limits.</summary>
    /// <exception cref="ApiProblemException">400 naming <paramref name="field"/> when the file expands too far.</exception>
    public static void CheckGzip(string path, string field, ApiOptions options)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        if (file.Read(head) < 2 || head[0] != 0x1f || head[1] != 0x8b)
        {
            return;
        }

        file.Position = 0;
        var compressed = Math.Max(1, file.Length);
        var allowed = (long)Math.Min(options.MaxUncompressedBytes, Math.Max(1 << 20, compressed * options.MaxCompressionRatio));
        long expanded = 0;
        var buffer = new byte[81920];
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                expanded += read;
                if (expanded > allowed)
                {
                    throw ApiProblemException.Invalid(field,
                        $"expands to more than {allowed} bytes from {compressed} compressed bytes, past the limits of " +
                        $"{options.MaxUncompressedBytes} bytes and ratio {options.MaxCompressionRatio}; this looks like a decompression bomb.");
                }
            }
        }
        catch (InvalidDataException)
        {
            // Corrupt gzip data: the IDX reader reports it with the file name.
        }
    }

    /// <summary>
    /// Checks a zip's entry count, entry names, declared sizes and the dimensions of its images (read from their
    /// headers only).
    /// </summary>
    /// <exception cref="ApiProblemException">400 naming <paramref name="field"/> and the entry.</exception>
    public static void CheckImageZip(string path, string field, ApiOptions options)
    {
        using var file = File.OpenRead(path);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(file, ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw ApiProblemException.Invalid(field, $"not a readable zip archive ({e.Message}); upload a complete .zip file.");
        }

        using (archive)
        {
            if (archive.Entries.Count > options.MaxArchiveEntries)
            {
                throw ApiProblemException.Invalid(field,
                    $"contains {archive.Entries.Count} entries, more than the limit of {options.MaxArchiveEntries}; split the dataset.");
            }

            long total = 0;
            foreach (var entry in archive.Entries)
            {
                total += entry.Length;
                CheckEntry(entry, total, field, options);
            }

            foreach (var entry in archive.Entries.Where(IsImage))
            {
                CheckImageSize(entry, field, options);
            }
        }
    }

    private static void CheckEntry(ZipArchiveEntry entry, long total, string field, ApiOptions options)
    {
        var name = entry.FullName.Replace('\\', '/');
        if (name.StartsWith('/') || name.Split('/').Contains("..") || name.Contains(':') || name.Any(char.IsControl))
        {
            throw ApiProblemException.Invalid(field,
                $"entry '{Quote(entry.FullName)}' points outside the archive; use relative paths such as class/image.png.");
        }

        if (total > options.MaxUncompressedBytes)
        {
            throw ApiProblemException.Invalid(field,
                $"decompresses to more than {options.MaxUncompressedBytes} bytes; upload a smaller dataset.");
        }

        if (entry.CompressedLength > 0 && (double)entry.Length / entry.CompressedLength > options.MaxCompressionRatio)
        {
            throw ApiProblemException.Invalid(field,
                $"entry '{Quote(entry.FullName)}' expands {entry.Length / entry.CompressedLength}x, above the limit of " +
                $"{options.MaxCompressionRatio}x; this looks like a decompression bomb.");
        }
    }

    private static void CheckImageSize(ZipArchiveEntry entry, string field, ApiOptions options)
    {
        IImageInfo? info;
        try
        {
            using var stream = entry.Open();
            info = Image.Identify(stream);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or UnknownImageFormatException or InvalidImageContentException)
        {
            throw ApiProblemException.Invalid(field, $"image '{Quote(entry.FullName)}' is unreadable ({e.Message}); replace or remove it.");
        }

        if (info is null)
        {
            throw ApiProblemException.Invalid(field, $"entry '{Quote(entry.FullName)}' is not a PNG, JPEG, BMP or GIF image; remove it.");
        }

        if (info.Width > options.MaxImageSide || info.Height > options.MaxImageSide)
        {
            throw ApiProblemException.Invalid(field,
                $"image '{Quote(entry.FullName)}' is {info.Width}x{info.Height} pixels, larger than the limit of " +
                $"{options.MaxImageSide} pixels a side; resize it.");
        }
    }

    private static bool IsImage(ZipArchiveEntry entry) =>
        !entry.FullName.EndsWith('/') && ImageExtensions.Contains(Path.GetExtension(entry.FullName));

    private static string Quote(string name) => name.Length > 120 ? name[..120] + "..." : name;
}
