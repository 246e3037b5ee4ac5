using System.Net.Http.Headers;
using Rafiki.Client.Contracts;

namespace Rafiki.Client;

public sealed partial class RafikiClient
{
    /// <summary>Uploads an IDX images/labels pair (plain or gzipped) as an image-classification dataset.</summary>
    public Task<DatasetView> UploadIdxDatasetAsync(
        string name, Stream images, Stream labels, CancellationToken cancellationToken = default)
    {
        var form = Form(name, TaskNames.ImageClassification, DatasetFormats.Idx);
        form.Add(File(images), "images", "images.idx.gz");
        form.Add(File(labels), "labels", "labels.idx.gz");
        return SendAsync<DatasetView>(HttpMethod.Post, "datasets", form, cancellationToken);
    }

    /// <summary>Uploads an image-folder zip (<c>class_name/image.png</c>) as an image-classification dataset.</summary>
    public Task<DatasetView> UploadImageZipDatasetAsync(string name, Stream archive, CancellationToken cancellationToken = default)
    {
        var form = Form(name, TaskNames.ImageClassification, DatasetFormats.ImageZip);
        form.Add(File(archive), "file", "images.zip");
        return SendAsync<DatasetView>(HttpMethod.Post, "datasets", form, cancellationToken);
    }

    /// <summary>Uploads texts with labels, <paramref name="format"/> being <c>csv</c> or <c>jsonl</c>.</summary>
    public Task<DatasetView> UploadTextDatasetAsync(
        string name, string format, Stream file, CancellationToken cancellationToken = default)
    {
        var form = Form(name, TaskNames.TextClassification, format);
        form.Add(File(file), "file", $"texts.{format}");
        return SendAsync<DatasetView>(HttpMethod.Post, "datasets", form, cancellationToken);
    }

    /// <summary>Lists the caller's datasets (every dataset for an admin).</summary>
    public Task<IReadOnlyList<DatasetView>> ListDatasetsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<DatasetView>>(HttpMethod.Get, "datasets", null, cancellationToken);

    /// <summary>Returns one of the caller's datasets.</summary>
    public Task<DatasetView> GetDatasetAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<DatasetView>(HttpMethod.Get, $"datasets/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Deletes one of the caller's datasets.</summary>
    public Task DeleteDatasetAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"datasets/{Uri.EscapeDataString(id)}", null, cancellationToken);

    private static MultipartFormDataContent Form(string name, string task, string format) => new()
    {
        { new StringContent(name), "name" },
        { new StringContent(task), "task" },
        { new StringContent(format), "format" },
    };

    private static StreamContent File(Stream stream)
    {
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
