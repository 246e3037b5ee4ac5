namespace Rafiki.Storage.Datasets;

/// <summary>
/// Labelled images held in memory: pixels as bytes in N x C x H x W order (channel-first, 0 to 255) and one
/// label per image, an index into <see cref="ClassNames"/>.
/// </summary>
public sealed class ImageDataset
{
    public ImageDataset(int channels, int height, int width, IReadOnlyList<string> classNames, byte[] pixels, int[] labels)
    {
        var imageSize = channels * height * width;
        if (imageSize <= 0 || pixels.Length != labels.Length * imageSize)
        {
            throw new ArgumentException(
                $"{pixels.Length} pixel bytes do not match {labels.Length} images of {channels}x{height}x{width}.");
        }

        var outside = Array.FindIndex(labels, label => label < 0 || label >= classNames.Count);
        if (outside >= 0)
        {
            throw new ArgumentException(
                $"label {labels[outside]} of image {outside} is outside the {classNames.Count} classes.");
        }

        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
        Pixels = pixels;
        Labels = labels;
    }

    public int Count => Labels.Length;

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Bytes per image: channels x height x width.</summary>
    public int ImageSize => Channels * Height * Width;

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>All images, <see cref="ImageSize"/> bytes each, one after the other.</summary>
    public byte[] Pixels { get; }

    public int[] Labels { get; }

    /// <summary>Returns the pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>Returns the images in [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    public ImageDataset Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        return new ImageDataset(
            Channels, Height, Width, ClassNames,
            Pixels.AsSpan(start * ImageSize, count * ImageSize).ToArray(),
            Labels.AsSpan(start, count).ToArray());
    }
}
