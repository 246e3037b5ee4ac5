using System.Text.Json;
using Rafiki.Api.Data;
using Rafiki.Api.Problems;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Rafiki.Api.Predictions;

/// <summary>
/// Turns one query of the predict endpoint into the pixel bytes an inference job expects (channel-first, 0 to 255).
/// A base64 string contains either exactly those bytes or an encoded PNG, JPEG, BMP or GIF file of the job's size; a
/// JSON array contains the pixel values flat, as <c>[height][width]</c> (one channel) or as
/// <c>[channels][height][width]</c>.
/// </summary>
public static class ImageQueryDecoder
{
    /// <summary>Decodes a query; <paramref name="field"/> names it in errors, such as <c>queries[3]</c>.</summary>
    /// <exception cref="ApiProblemException">400 naming the field, what it contains and what the job expects.</exception>
    public static byte[] Decode(JsonElement query, InferenceJobDescription job, string field)
    {
        return query.ValueKind switch
        {
            JsonValueKind.String => DecodeBase64(query.GetString()!, job, field),
            JsonValueKind.Array => DecodeArray(query, job, field),
            _ => throw ApiProblemException.Invalid(field,
                $"is a JSON {query.ValueKind.ToString().ToLowerInvariant()}; send a base64 string or an array of pixel values."),
        };
    }

    /// <summary>Returns the expected shape in words, such as <c>1x28x28 = 784 bytes</c>.</summary>
    public static string Expected(InferenceJobDescription job) => $"{job.Channels}x{job.Height}x{job.Width} = {job.ImageSize} bytes";

    private static byte[] DecodeBase64(string text, InferenceJobDescription job, string field)
    {
        if (text.Length == 0)
        {
            throw ApiProblemException.Invalid(field, $"is an empty string; send the image ({Expected(job)}) as base64.");
        }

        // An encoded image file may be larger than its pixels, but not without bound.
        var maxBytes = Math.Max(job.ImageSize * 4L, 1L << 20);
        if (text.Length > (maxBytes * 4 / 3) + 4)
        {
            throw ApiProblemException.Invalid(field, $"has {text.Length} base64 characters, more than an image of {Expected(job)} needs.");
        }

        var bytes = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
        {
            throw ApiProblemException.Invalid(field, "is not valid base64; encode the image bytes with standard base64.");
        }

        if (length == job.ImageSize)
        {
            return bytes.AsSpan(0, length).ToArray();
        }

        return DecodeImageFile(bytes.AsSpan(0, length).ToArray(), job, field);
    }

    private static byte[] DecodeImageFile(byte[] file, InferenceJobDescription job, string field)
    {
        IImageInfo? info;
        try
        {
            info = Image.Identify(file);
        }
        catch (Exception e) when (e is InvalidImageContentException or NotSupportedException or UnknownImageFormatException)
        {
            info = null;
        }

        if (info is null)
        {
            throw ApiProblemException.Invalid(field,
                $"contains {file.Length} bytes, which are neither the raw pixels this job expects ({Expected(job)}) nor a readable image file.");
        }

        if (info.Width != job.Width || info.Height != job.Height)
        {
            throw ApiProblemException.Invalid(field,
                $"is a {info.Width}x{info.Height} image but this job expects {job.Width}x{job.Height}; resize it.");
        }

        try
        {
            return job.Channels == 1 ? GreyPixels(file) : RgbPixels(file, job);
        }
        catch (Exception e) when (e is InvalidImageContentException or NotSupportedException or UnknownImageFormatException)
        {
            throw ApiProblemException.Invalid(field, $"is an unreadable image ({e.Message}); send a valid PNG, JPEG, BMP or GIF file.");
        }
    }

    private static byte[] GreyPixels(byte[] file)
    {
        using var image = Image.Load<L8>(file);
        var pixels = new L8[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        return [.. pixels.Select(pixel => pixel.PackedValue)];
    }

    private static byte[] RgbPixels(byte[] file, InferenceJobDescription job)
    {
        using var image = Image.Load<Rgb24>(file);
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var plane = pixels.Length;
        var bytes = new byte[job.ImageSize];
        for (var i = 0; i < plane; i++)
        {
            bytes[i] = pixels[i].R;
            bytes[plane + i] = pixels[i].G;
            bytes[(2 * plane) + i] = pixels[i].B;
        }

        return bytes;
    }

    private static byte[] DecodeArray(JsonElement query, InferenceJobDescription job, string field)
    {
        var (shape, values) = PixelTensor.Read(query, field, job.ImageSize);
        var accepted = shape.Count switch
        {
            1 => shape[0] == job.ImageSize,
            2 => job.Channels == 1 && shape[0] == job.Height && shape[1] == job.Width,
            3 => shape[0] == job.Channels && shape[1] == job.Height && shape[2] == job.Width,
            _ => false,
        };
        if (!accepted)
        {
            throw ApiProblemException.Invalid(field,
                $"has the shape [{string.Join(", ", shape)}] but this job expects [{job.Channels}, {job.Height}, {job.Width}]" +
                (job.Channels == 1 ? $", [{job.Height}, {job.Width}]" : "") + $" or [{job.ImageSize}].");
        }

        return values;
    }
}
