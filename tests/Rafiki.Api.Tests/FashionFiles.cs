using System.IO.Compression;
using Rafiki.Storage.Datasets;
using Rafiki.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Rafiki.Api.Tests;

/// <summary>The committed Fashion-MNIST subset as upload files: the IDX pair, and the test split as an image zip.</summary>
public static class FashionFiles
{
    public static string TrainImages => Fixtures.PathOf("fashion-mnist/train-images-idx3-ubyte.gz");

    public static string TrainLabels => Fixtures.PathOf("fashion-mnist/train-labels-idx1-ubyte.gz");

    public static string TestImagesPath => Fixtures.PathOf("fashion-mnist/t10k-images-idx3-ubyte.gz");

    public static string TestLabelsPath => Fixtures.PathOf("fashion-mnist/t10k-labels-idx1-ubyte.gz");

    /// <summary>The 400 test images and labels.</summary>
    public static ImageDataset TestImages { get; } = IdxFormat.Read(TestImagesPath, TestLabelsPath);

    /// <summary>Returns one test image as a PNG file.</summary>
    public static byte[] Png(int index)
    {
        using var image = Image.LoadPixelData<L8>(TestImages.Image(index), 28, 28);
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>Returns the test split as an image-folder zip: one folder per label, one PNG per image.</summary>
    public static byte[] TestZip()
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < TestImages.Count; i++)
            {
                var entry = archive.CreateEntry($"{TestImages.ClassNames[TestImages.Labels[i]]}/{i:D4}.png");
                using var stream = entry.Open();
                stream.Write(Png(i));
            }
        }

        return output.ToArray();
    }
}
