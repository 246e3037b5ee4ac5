using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rafiki.Api.Auth;
using Rafiki.Api.Node;
using Rafiki.Api.Problems;
using Rafiki.Api.Uploads;
using Rafiki.Client.Contracts;
using Rafiki.Storage.Datasets;
using Rafiki.Training.Studies;

namespace Rafiki.Api.Endpoints;

/// <summary>Dataset upload, listing and deletion.</summary>
public static class DatasetEndpoints
{
    private const int NameMaxLength = 100;

    /// <summary>Maps <c>/datasets</c>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/datasets").RequireAuthorization(Policies.Develop);
        group.MapPost("", UploadAsync)
            .Accepts<IFormFile>("multipart/form-data").Produces<DatasetView>(201)
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415)
            .WithSummary("Upload a dataset")
            .WithDescription(
                "Multipart form with fields name, format (idx, image-zip, csv or jsonl) and optional task, and the files " +
                "images and labels (idx) or file (the other formats).");
        group.MapGet("", (ClaimsPrincipal user, NodeGateway gateway) =>
                gateway.Node.Datasets.List().Where(info => user.MayAccess(info.Owner)).Select(ToView).ToList())
            .WithSummary("List the caller's datasets");
        group.MapGet("/{id}", (string id, ClaimsPrincipal user, NodeGateway gateway) => ToView(FindOwned(gateway, user, id)))
            .Produces<DatasetView>().ProducesProblem(404).WithSummary("Get a dataset");
        group.MapDelete("/{id}", DeleteAsync).Produces(204).ProducesProblem(404).ProducesProblem(409).WithSummary("Delete a dataset");
    }

    /// <summary>Returns the API view of a stored dataset.</summary>
    public static DatasetView ToView(DatasetInfo info) => new(
        info.Id, info.Name, ApiNames.Of(info.Task), info.Format, info.Count, info.Channels, info.Height, info.Width,
        info.ClassNames, info.CreatedAt, info.Owner);

    /// <summary>Returns a dataset the caller may see.</summary>
    /// <param name="gateway">The node.</param>
    /// <param name="user">The caller.</param>
    /// <param name="id">Dataset id.</param>
    /// <param name="field">Request body field that contains the id, or null when the id is part of the URL.</param>
    /// <exception cref="ApiProblemException">
    /// When the dataset does not exist or belongs to another user: 404 for an id in the URL, 400 naming the field
    /// for an id in the body.
    /// </exception>
    public static DatasetInfo FindOwned(NodeGateway gateway, ClaimsPrincipal user, string id, string? field = null)
    {
        var info = gateway.Node.Datasets.Find(id);
        if (info is null || !user.MayAccess(info.Owner))
        {
            throw field is null
                ? ApiProblemException.NotFound("dataset", id, "list your datasets with GET /datasets.")
                : ApiProblemException.Invalid(field, $"dataset '{id}' not found; list your datasets with GET /datasets.");
        }

        return info;
    }

    private static async Task<IResult> UploadAsync(
        HttpContext context, NodeGateway gateway, ApiOptions options, MultipartUploadReader reader, ILogger<DatasetStore> logger)
    {
        using var upload = await reader.ReadAsync(
            context.Request, ["name", "task", "format"], ["images", "labels", "file"], context.RequestAborted);
        var validation = new Validation();
        var name = validation.Text("name", upload.Fields.GetValueOrDefault("name"), NameMaxLength, "name the dataset.");
        var format = upload.Fields.GetValueOrDefault("format");
        if (format is null || !DatasetFormats.All.Contains(format))
        {
            validation.Add("format", $"'{format}' is unknown; use one of {string.Join(", ", DatasetFormats.All)}.");
        }

        validation.ThrowIfInvalid();
        var isText = format is DatasetFormats.Csv or DatasetFormats.Jsonl;
        var task = isText ? TaskNames.TextClassification : TaskNames.ImageClassification;
        if (upload.Fields.TryGetValue("task", out var givenTask) && givenTask != task)
        {
            throw ApiProblemException.Invalid("task", $"'{givenTask}' does not match format {format}, which contains {task} data; send task={task}.");
        }

        var expectedFiles = format == DatasetFormats.Idx ? new[] { "images", "labels" } : ["file"];
        foreach (var missing in expectedFiles.Where(field => !upload.Files.ContainsKey(field)))
        {
            validation.Add(missing, $"missing; format {format} needs the file fields {string.Join(" and ", expectedFiles)}.");
        }

        foreach (var extra in upload.Files.Keys.Where(field => !expectedFiles.Contains(field)))
        {
            validation.Add(extra, $"not used by format {format}; send only {string.Join(" and ", expectedFiles)}.");
        }

        validation.ThrowIfInvalid();
        var owner = context.User.UserId();
        var info = Import(gateway.Node.Datasets, upload, name, format!, owner, options);
        logger.LogInformation(
            "Dataset {DatasetId} ({Format}, {Count} examples) uploaded by {UserId}", info.Id, info.Format, info.Count, owner);
        return Results.Created($"/datasets/{info.Id}", ToView(info));
    }

    private static DatasetInfo Import(DatasetStore store, StagedUpload upload, string name, string format, string owner, ApiOptions options)
    {
        try
        {
            switch (format)
            {
                case DatasetFormats.Idx:
                    UploadGuards.CheckGzip(upload.Files["images"], "images", options);
                    UploadGuards.CheckGzip(upload.Files["labels"], "labels", options);
                    return store.Add(name, format, IdxFormat.Read(upload.Files["images"], upload.Files["labels"]), owner);
                case DatasetFormats.ImageZip:
                {
                    UploadGuards.CheckImageZip(upload.Files["file"], "file", options);
                    using var archive = File.OpenRead(upload.Files["file"]);
                    var limits = new ArchiveLimits(options.MaxArchiveEntries, options.MaxUncompressedBytes, options.MaxCompressionRatio);
                    return store.Add(name, format, ImageFolderZip.Read(archive, "file", limits), owner);
                }

                default:
                {
                    using var file = File.OpenRead(upload.Files["file"]);
                    var limits = new TextLimits(options.MaxTextRows, options.MaxTextLength);
                    var texts = format == DatasetFormats.Csv
                        ? TextLabelFormat.ReadCsv(file, "file", limits)
                        : TextLabelFormat.ReadJsonl(file, "file", limits);
                    return store.AddText(name, format, texts, owner);
                }
            }
        }
        catch (DatasetFormatException e)
        {
            throw ApiProblemException.Invalid([e.Message]);
        }
        catch (ArgumentException e)
        {
            throw ApiProblemException.Invalid(format == DatasetFormats.Idx ? "labels" : "file", e.Message);
        }
    }

    private static async Task<IResult> DeleteAsync(
        string id, ClaimsPrincipal user, NodeGateway gateway, ILogger<DatasetStore> logger, CancellationToken cancellationToken)
    {
        var info = FindOwned(gateway, user, id);
        foreach (var entry in (await gateway.ListStudiesAsync(cancellationToken)).Where(entry => entry.State == StudyState.Running))
        {
            var study = await gateway.GetStudyAsync(entry.StudyId, cancellationToken);
            if (study is not null && (study.Spec.TrainDatasetId == info.Id || study.Spec.ValidationDatasetId == info.Id))
            {
                throw ApiProblemException.Conflict(
                    $"dataset '{id}' is in use by the running train job '{entry.StudyId}'; stop the job or wait for it to end.");
            }
        }

        gateway.Node.Datasets.Delete(info.Id);
        logger.LogInformation("Dataset {DatasetId} deleted by {UserId}", info.Id, user.UserId());
        return Results.NoContent();
    }
}
