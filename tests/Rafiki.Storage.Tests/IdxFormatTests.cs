using System.Buffers.Binary;
using System.IO.Compression;
using Rafiki.Storage.Datasets;
using Rafiki.Testing;

namespace Rafiki.Storage.Tests;

public sealed class IdxFormatTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Fashion_mnist_subset_reads_with_labels()
    {
        var data = IdxFormat.Read(
            Fixtures.PathOf("fashion-mnist/train-images-idx3-ubyte.gz"),
            Fixtures.PathOf("fashion-mnist/train-labels-idx1-ubyte.gz"));

        Assert.Equal(1200, data.Count);
        Assert.Equal((1, 28, 28), (data.Channels, data.Height, data.Width));
        Assert.Equal(10, data.ClassNames.Count);
        Assert.Equal(9, data.Labels[0]); // the first Fashion-MNIST training image is an ankle boot
    }

    [Fact]
    public void Wrong_magic_names_file_and_suggests_swap()
    {
        var labels = Fixtures.PathOf("fashion-mnist/train-labels-idx1-ubyte.gz");

        var error = Assert.Throws<DatasetFormatException>(() => IdxFormat.Read(labels, labels));

        Assert.Contains("train-labels-idx1-ubyte.gz: wrong magic number 0x00000801", error.Message, StringComparison.Ordinal);
        Assert.Contains("swap the two paths", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_count_mismatch_is_reported()
    {
        var images = WriteImages("images.idx", count: 3);
        var labels = WriteLabels("labels.idx", [1, 2]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxFormat.Read(images, labels));

        Assert.Contains("labels.idx: holds 2 labels but images.idx holds 3 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_images_file_is_reported()
    {
        var images = WriteImages("short.idx", count: 3, truncateBy: 10);
        var labels = WriteLabels("labels.idx", [0, 1, 2]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxFormat.Read(images, labels));

        Assert.Contains("short.idx: truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_gzip_is_reported()
    {
        var path = Path.Combine(_folder.Path, "broken.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]); // deflate block type 3 is reserved

        var error = Assert.Throws<DatasetFormatException>(() => IdxFormat.Read(path, path));

        Assert.Contains("broken.gz: corrupt gzip data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var error = Assert.Throws<DatasetFormatException>(() => IdxFormat.Read("/nonexistent/images", "/nonexistent/labels"));

        Assert.Contains("/nonexistent/images: file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_beyond_class_names_is_reported()
    {
        var images = WriteImages("images.idx", count: 2);
        var labels = WriteLabels("labels.idx", [0, 5]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxFormat.Read(images, labels, ["a", "b"]));

        Assert.Contains("label 5 is outside the 2 class names", error.Message, StringComparison.Ordinal);
    }

    private string WriteImages(string name, int count, int truncateBy = 0)
    {
        var bytes = new byte[16 + (count * 4)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 2);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 2);
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllBytes(path, bytes[..^truncateBy]);
        return path;
    }

    private string WriteLabels(string name, byte[] labels)
    {
        var path = Path.Combine(_folder.Path, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), labels.Length);
        gzip.Write(header);
        gzip.Write(labels);
        return path;
    }
}
