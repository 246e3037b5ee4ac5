using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Rafiki.Api.Problems;

namespace Rafiki.Api.Uploads;

/// <summary>
/// Streams a <c>multipart/form-data</c> request into a <see cref="StagedUpload"/> without holding files in memory.
/// It accepts only the given field names, at most <see cref="ApiOptions.MaxUploadFiles"/> files, and at most
/// <see cref="ApiOptions.MaxUploadBytes"/> bytes in all; Kestrel enforces the same body limit.
/// </summary>
public sealed class MultipartUploadReader(ApiOptions options, string stagingRoot)
{
    private const int MaxFieldLength = 1024;

    /// <summary>Reads the request; the caller disposes the result.</summary>
    /// <param name="request">The upload request.</param>
    /// <param name="textFields">Names of the text fields the endpoint takes.</param>
    /// <param name="fileFields">Names of the file fields the endpoint takes.</param>
    /// <param name="cancellationToken">Aborts the read.</param>
    public async Task<StagedUpload> ReadAsync(
        HttpRequest request, IReadOnlyList<string> textFields, IReadOnlyList<string> fileFields, CancellationToken cancellationToken)
    {
        var boundary = BoundaryOf(request);
        if (request.ContentLength > options.MaxUploadBytes)
        {
            throw TooLarge(request.ContentLength.Value);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxUploadBytes;
        }

        var upload = new StagedUpload(Path.Combine(stagingRoot, Guid.NewGuid().ToString("N")));
        try
        {
            await ReadSectionsAsync(request, boundary, upload, textFields, fileFields, cancellationToken);
            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    private async Task ReadSectionsAsync(
        HttpRequest request, string boundary, StagedUpload upload, IReadOnlyList<string> textFields,
        IReadOnlyList<string> fileFields, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = options.MaxUploadBytes };
        long total = 0;
        while (await NextSectionAsync(reader, cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                throw ApiProblemException.Invalid("body", "a multipart section has no Content-Disposition: form-data header; send a form upload.");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (!fileFields.Contains(name))
                {
                    throw ApiProblemException.Invalid(Shorten(name), $"is not a file field of this endpoint; use {string.Join(" or ", fileFields)}.");
                }

                if (upload.Files.ContainsKey(name))
                {
                    throw ApiProblemException.Invalid(name, "sent twice; send each file once.");
                }

                if (upload.Files.Count >= options.MaxUploadFiles)
                {
                    throw ApiProblemException.Invalid(name, $"one file more than the limit of {options.MaxUploadFiles} files per upload.");
                }

                total += await StageFileAsync(section, upload.PathFor(name), options.MaxUploadBytes - total, cancellationToken);
                upload.Files[name] = upload.PathFor(name);
            }
            else
            {
                if (!textFields.Contains(name))
                {
                    throw ApiProblemException.Invalid(Shorten(name), $"is not a field of this endpoint; use {string.Join(", ", textFields)}.");
                }

                upload.Fields[name] = await ReadFieldAsync(section, name, cancellationToken);
            }
        }
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw ApiProblemException.Invalid("body", $"the multipart upload is truncated or malformed ({e.Message}); send the whole form again.");
        }
        catch (InvalidDataException e)
        {
            throw ApiProblemException.Invalid("body", $"the multipart upload is malformed ({e.Message}); send a valid form upload.");
        }
    }

    private async Task<long> StageFileAsync(MultipartSection section, string path, long allowed, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long written = 0;
        while (true)
        {
            int read;
            try
            {
                read = await section.Body.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException e)
            {
                throw ApiProblemException.Invalid(
                    "body", $"the multipart upload is truncated or malformed ({e.Message}); send the whole form again.");
            }
            catch (InvalidDataException e)
            {
                throw ApiProblemException.Invalid("body", $"the upload exceeds a limit ({e.Message}); send a smaller file.");
            }

            if (read == 0)
            {
                return written;
            }

            written += read;
            if (written > allowed)
            {
                throw TooLarge(options.MaxUploadBytes + 1);
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(section.Body);
        var buffer = new char[MaxFieldLength + 1];
        var length = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        if (length > MaxFieldLength)
        {
            throw ApiProblemException.Invalid(name, $"longer than {MaxFieldLength} characters; form fields contain short values.");
        }

        return new string(buffer, 0, length);
    }

    private static string BoundaryOf(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiProblemException(
                StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"content type '{request.ContentType ?? "(none)"}' is not supported here; send multipart/form-data.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200)
        {
            throw ApiProblemException.Invalid("Content-Type", "the multipart boundary is missing or longer than 200 characters.");
        }

        return boundary;
    }

    private ApiProblemException TooLarge(long size) => new(
        StatusCodes.Status413PayloadTooLarge, "Payload too large",
        $"the upload has {size} bytes or more, above the limit of {options.MaxUploadBytes} bytes; upload a smaller dataset.");

    private static string Shorten(string name) => name.Length > 40 ? name[..40] : name;
}
