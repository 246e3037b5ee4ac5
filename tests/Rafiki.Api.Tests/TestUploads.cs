using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Rafiki.Api.Tests;

/// <summary>Builds valid and hostile upload bodies.</summary>
public static class TestUploads
{
    /// <summary>Returns a multipart form with text fields and files.</summary>
    public static MultipartFormDataContent Form(IEnumerable<(string Name, string Value)> fields, params (string Field, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        foreach (var (field, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, field, field + ".bin");
        }

        return form;
    }

    /// <summary>Returns the fields of an upload with the given name and format.</summary>
    public static (string, string)[] Fields(string format, string name = "upload") => [("name", name), ("format", format)];

    /// <summary>Returns a zip whose entries have the given names and contents.</summary>
    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>Returns a grey PNG of the given size.</summary>
    public static byte[] Png(int width, int height)
    {
        using var image = new Image<L8>(width, height);
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>Returns gzip-compressed zeros.</summary>
    public static byte[] GzipZeros(int count)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(new byte[count]);
        }

        return output.ToArray();
    }

    /// <summary>Returns the decompressed content of a gzip file.</summary>
    public static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Returns a multipart body cut before its closing boundary, with a matching Content-Length.</summary>
    public static ByteArrayContent TruncatedForm()
    {
        const string boundary = "cut-boundary";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n" +
                   $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\ntext,label\r\nabc";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return content;
    }
}
