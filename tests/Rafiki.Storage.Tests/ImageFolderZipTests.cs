using System.IO.Compression;
using Rafiki.Storage.Datasets;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Rafiki.Storage.Tests;

public class ImageFolderZipTests
{
    [Fact]
    public void Grey_images_become_one_channel_with_sorted_classes()
    {
        using var zip = Archive(("shirt/a.png", Png(4, 4, 10)), ("boot/b.png", Png(4, 4, 200)), ("boot/c.png", Png(4, 4, 201)));

        var data = ImageFolderZip.Read(zip, "clothes.zip");

        Assert.Equal(["boot", "shirt"], data.ClassNames);
        Assert.Equal(1, data.Channels);
        Assert.Equal([0, 0, 1], data.Labels);
        Assert.Equal(200, data.Image(0)[0]);
    }

    [Fact]
    public void Colour_images_become_three_channels()
    {
        using var zip = Archive(("red/a.png", Png(2, 2, 0, colour: true)));

        var data = ImageFolderZip.Read(zip, "colours.zip");

        Assert.Equal(3, data.Channels);
        Assert.Equal([255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0], data.Image(0).ToArray());
    }

    [Fact]
    public void Mixed_sizes_are_rejected_naming_both_images()
    {
        using var zip = Archive(("a/1.png", Png(4, 4, 0)), ("a/2.png", Png(5, 4, 0)));

        var error = Assert.Throws<DatasetFormatException>(() => ImageFolderZip.Read(zip, "sizes.zip"));

        Assert.Contains("image 'a/2.png' is 5x4 but 'a/1.png' is 4x4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_image_is_named()
    {
        using var zip = Archive(("a/1.png", Png(4, 4, 0)), ("a/broken.png", [1, 2, 3, 4]));

        var error = Assert.Throws<DatasetFormatException>(() => ImageFolderZip.Read(zip, "bad.zip"));

        Assert.Contains("bad.zip: image 'a/broken.png' is unreadable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_class_folder_is_rejected()
    {
        using var zip = Archive(("a/1.png", Png(4, 4, 0)), ("empty/", []));

        var error = Assert.Throws<DatasetFormatException>(() => ImageFolderZip.Read(zip, "empty.zip"));

        Assert.Contains("class folder 'empty/' contains no images", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape/1.png")]
    [InlineData("/abs/1.png")]
    [InlineData("a/../../1.png")]
    public void Path_traversal_entry_is_rejected(string entry)
    {
        using var zip = Archive((entry, Png(4, 4, 0)));

        var error = Assert.Throws<DatasetFormatException>(() => ImageFolderZip.Read(zip, "slip.zip"));

        Assert.Contains("points outside the archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompression_bomb_is_rejected()
    {
        using var zip = Archive(("a/1.png", new byte[10_000_000]));

        var error = Assert.Throws<DatasetFormatException>(() => ImageFolderZip.Read(zip, "bomb.zip"));

        Assert.Contains("looks like a decompression bomb", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_entries_are_rejected()
    {
        using var zip = Archive(("a/1.png", Png(2, 2, 0)), ("a/2.png", Png(2, 2, 0)), ("a/3.png", Png(2, 2, 0)));

        var error = Assert.Throws<DatasetFormatException>(() => ImageFolderZip.Read(zip, "many.zip", new ArchiveLimits(MaxEntries: 2)));

        Assert.Contains("holds 3 entries, more than the limit of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_outside_class_folder_is_rejected()
    {
        using var zip = Archive(("loose.png", Png(2, 2, 0)));

        var error = Assert.Throws<DatasetFormatException>(() => ImageFolderZip.Read(zip, "loose.zip"));

        Assert.Contains("image 'loose.png' is not directly inside a class folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_a_zip_is_rejected()
    {
        using var stream = new MemoryStream([1, 2, 3, 4, 5]);

        var error = Assert.Throws<DatasetFormatException>(() => ImageFolderZip.Read(stream, "text.zip"));

        Assert.Contains("text.zip: not a readable zip archive", error.Message, StringComparison.Ordinal);
    }

    internal static MemoryStream Archive(params (string Name, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                using var writer = entry.Open();
                writer.Write(content);
            }
        }

        stream.Position = 0;
        return stream;
    }

    internal static byte[] Png(int width, int height, byte grey, bool colour = false)
    {
        using var image = new Image<Rgb24>(width, height, colour ? new Rgb24(255, 0, 0) : new Rgb24(grey, grey, grey));
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return buffer.ToArray();
    }
}
