using System.Buffers.Binary;
using System.IO.Compression;

namespace Rafiki.Storage.Datasets;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed: a big-endian header with a magic
/// number (0x00000803 for images, 0x00000801 for labels), the dimension sizes, then unsigned bytes.
/// </summary>
public static class IdxFormat
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>Reads an images file and a labels file into a dataset.</summary>
    /// <param name="imagesPath">An idx3-ubyte file, optionally gzipped.</param>
    /// <param name="labelsPath">An idx1-ubyte file, optionally gzipped.</param>
    /// <param name="classNames">Names of the classes; by default "0", "1", ... up to the largest label.</param>
    /// <exception cref="DatasetFormatException">A file is missing, truncated or inconsistent with the other.</exception>
    public static ImageDataset Read(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var (count, height, width, pixels) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != count)
        {
            throw new DatasetFormatException(
                $"{Path.GetFileName(labelsPath)}: holds {labels.Length} labels but {Path.GetFileName(imagesPath)} " +
                $"holds {count} images; use the labels file that belongs to these images.");
        }

        var classCount = labels.Length == 0 ? 0 : labels.Max() + 1;
        if (classNames is not null && classCount > classNames.Count)
        {
            throw new DatasetFormatException(
                $"{Path.GetFileName(labelsPath)}: label {classCount - 1} is outside the {classNames.Count} class names given.");
        }

        var names = classNames ?? Enumerable.Range(0, classCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new ImageDataset(1, height, width, names, pixels, labels);
    }

    /// <summary>Reads an images file without labels: the image count and size, and every pixel, image after image.</summary>
    /// <param name="path">An idx3-ubyte file, optionally gzipped.</param>
    /// <exception cref="DatasetFormatException">The file is missing, truncated or not an images file.</exception>
    public static (int Count, int Height, int Width, byte[] Pixels) ReadImages(string path)
    {
        var bytes = ReadAllBytes(path);
        var name = Path.GetFileName(path);
        RequireLength(bytes, 16, name, "the 16-byte header of an images file");
        var magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != ImagesMagic)
        {
            throw new DatasetFormatException(
                $"{name}: wrong magic number 0x{magic:x8} for an IDX images file (expected 0x{ImagesMagic:x8}); " +
                (magic == LabelsMagic ? "this is a labels file, so swap the two paths." : "pass an idx3-ubyte file."));
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        if (count < 0 || height <= 0 || width <= 0 || (long)height * width > 4096L * 4096)
        {
            throw new DatasetFormatException($"{name}: invalid header: {count} images of {height}x{width} pixels.");
        }

        var expected = 16L + ((long)count * height * width);
        RequireLength(bytes, expected, name, $"{count} images of {height}x{width} pixels");
        return (count, height, width, bytes.AsSpan(16, (int)(expected - 16)).ToArray());
    }

    private static int[] ReadLabels(string path)
    {
        var bytes = ReadAllBytes(path);
        var name = Path.GetFileName(path);
        RequireLength(bytes, 8, name, "the 8-byte header of a labels file");
        var magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != LabelsMagic)
        {
            throw new DatasetFormatException(
                $"{name}: wrong magic number 0x{magic:x8} for an IDX labels file (expected 0x{LabelsMagic:x8}); " +
                (magic == ImagesMagic ? "this is an images file, so swap the two paths." : "pass an idx1-ubyte file."));
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (count < 0)
        {
            throw new DatasetFormatException($"{name}: invalid header: {count} labels.");
        }

        RequireLength(bytes, 8L + count, name, $"{count} labels");
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = bytes[8 + i];
        }

        return labels;
    }

    private static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException($"{path}: file not found; check the path.");
        }

        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        var gzipped = file.Read(head) == 2 && head[0] == 0x1f && head[1] == 0x8b;
        file.Position = 0;
        try
        {
            using Stream input = gzipped ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var buffer = new MemoryStream();
            input.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException($"{Path.GetFileName(path)}: corrupt gzip data ({e.Message}); download the file again.", e);
        }
    }

    private static void RequireLength(byte[] bytes, long expected, string name, string what)
    {
        if (bytes.Length < expected)
        {
            throw new DatasetFormatException(
                $"{name}: truncated: {bytes.Length} bytes cannot hold {what} ({expected} bytes); the file is incomplete.");
        }
    }
}
