using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rafiki.Api.Auth;
using Rafiki.Api.Data;
using Rafiki.Api.Node;
using Rafiki.Api.Predictions;
using Rafiki.Api.Problems;
using Rafiki.Client.Contracts;

namespace Rafiki.Api.Endpoints;

/// <summary>
/// The KServe v2 inference protocol (Open Inference Protocol, JSON form). The model name is the inference job id
/// and the one input is a tensor of images, <c>[N, C, H, W]</c>, <c>[N, H, W]</c> for one channel, or
/// <c>[N, C*H*W]</c>. The outputs are <c>probabilities</c> (FP32, <c>[N, classes]</c>), <c>label</c>
/// (INT64, <c>[N]</c>) and <c>late</c> (BOOL, <c>[N]</c>). Errors are problem details that also carry the v2 <c>error</c> member. A query that the job
/// rejects as overdue fails the whole request with 503 and Retry-After.
/// </summary>
public static class KServeEndpoints
{
    private const string ProbabilitiesOutput = "probabilities";
    private const string LabelOutput = "label";

    /// <summary>Output that marks each prediction served after the job's latency target.</summary>
    private const string LateOutput = "late";

    private static readonly HashSet<string> PixelTypes =
        ["UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64"];

    /// <summary>Maps <c>/v2</c>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/health/live", () => new V2Health(Live: true)).AllowAnonymous().WithSummary("KServe v2 liveness");
        app.MapGet("/v2/health/ready", (NodeGateway gateway) => gateway.Node.System.WhenTerminated.IsCompleted
                ? Results.Json(new V2Health(Ready: false), statusCode: 503)
                : Results.Ok(new V2Health(Ready: true)))
            .AllowAnonymous().WithSummary("KServe v2 readiness");
        var version = typeof(KServeEndpoints).Assembly.GetName().Version?.ToString();
        app.MapGet("/v2", () => new { name = "rafiki", version, extensions = Array.Empty<string>() })
            .RequireAuthorization(Policies.AnyUser).WithSummary("KServe v2 server metadata");

        var models = app.MapGroup("/v2/models/{name}").RequireAuthorization(Policies.Predict);
        models.MapGet("", (string name, HttpContext context, JobStore jobs) => Metadata(InferenceJobEndpoints.FindOwned(name, context.User, jobs)))
            .Produces<V2ModelMetadata>().ProducesProblem(404).WithSummary("KServe v2 model metadata");
        models.MapGet("/ready", async (string name, HttpContext context, JobStore jobs, NodeGateway gateway, ApiOptions options) =>
            {
                var job = InferenceJobEndpoints.FindOwned(name, context.User, jobs);
                await InferenceJobEndpoints.RequireRunningAsync(job, jobs, gateway, options, context.RequestAborted);
                return new V2Health(Ready: true);
            })
            .ProducesProblem(404).ProducesProblem(409).WithSummary("KServe v2 model readiness");
        models.MapPost("/infer", InferAsync)
            .Accepts<V2InferRequest>("application/json").Produces<V2InferResponse>()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(429).ProducesProblem(503)
            .WithSummary("KServe v2 inference");
    }

    private static V2ModelMetadata Metadata(InferenceJobRecord job)
    {
        var d = job.Description;
        return new V2ModelMetadata(
            job.Id, ["1"], "rafiki",
            [new V2TensorMetadata("images", "UINT8", [-1, d.Channels, d.Height, d.Width])],
            [new V2TensorMetadata(ProbabilitiesOutput, "FP32", [-1, d.ClassNames.Count]), new V2TensorMetadata(LabelOutput, "INT64", [-1]),
             new V2TensorMetadata(LateOutput, "BOOL", [-1])]);
    }

    private static async Task<V2InferResponse> InferAsync(
        string name, HttpContext context, JobStore jobs, ApiOptions options, PredictionService predictions)
    {
        var job = InferenceJobEndpoints.FindOwned(name, context.User, jobs);
        var request = await JsonBody.ReadAsync<V2InferRequest>(context.Request, context.RequestAborted);
        var outputs = RequestedOutputs(request);
        var images = ReadImages(request, job.Description, options);
        InferenceJobEndpoints.RequireNotStopped(job);
        var results = await predictions.PredictAsync(job, images, "v2", context.RequestAborted);

        var tensors = new List<V2Tensor>();
        if (outputs.Contains(ProbabilitiesOutput))
        {
            var classes = job.Description.ClassNames.Count;
            tensors.Add(new V2Tensor(ProbabilitiesOutput, [results.Length, classes], "FP32",
                JsonSerializer.SerializeToElement(results.SelectMany(result => result.Probabilities).ToArray())));
        }

        if (outputs.Contains(LabelOutput))
        {
            tensors.Add(new V2Tensor(LabelOutput, [results.Length], "INT64",
                JsonSerializer.SerializeToElement(results.Select(result => (long)result.Label).ToArray())));
        }

        if (outputs.Contains(LateOutput))
        {
            tensors.Add(new V2Tensor(LateOutput, [results.Length], "BOOL",
                JsonSerializer.SerializeToElement(results.Select(result => result.Late).ToArray())));
        }

        return new V2InferResponse(job.Id, "1", request.Id, tensors);
    }

    private static List<string> RequestedOutputs(V2InferRequest request)
    {
        if (request.Outputs is null)
        {
            return [ProbabilitiesOutput, LabelOutput, LateOutput];
        }

        var names = new List<string>();
        for (var i = 0; i < request.Outputs.Count; i++)
        {
            var output = request.Outputs[i]?.Name;
            if (output is null)
            {
                throw ApiProblemException.Invalid(
                    $"outputs[{i}].name", $"missing; name one of the outputs {ProbabilitiesOutput}, {LabelOutput} or {LateOutput}.");
            }

            if (output is not (ProbabilitiesOutput or LabelOutput or LateOutput))
            {
                throw ApiProblemException.Invalid(
                    $"outputs[{i}].name",
                    $"'{output}' is not an output of this model; use {ProbabilitiesOutput}, {LabelOutput} or {LateOutput}.");
            }

            names.Add(output);
        }

        return names;
    }

    private static List<byte[]> ReadImages(V2InferRequest request, InferenceJobDescription job, ApiOptions options)
    {
        if (request.Inputs is not { Count: 1 })
        {
            throw ApiProblemException.Invalid("inputs", $"has {request.Inputs?.Count ?? 0} tensors; send exactly one tensor of images.");
        }

        var input = request.Inputs[0]
            ?? throw ApiProblemException.Invalid("inputs[0]", "is null; send a tensor with name, shape, datatype and data.");
        if (input.Datatype is null || !PixelTypes.Contains(input.Datatype))
        {
            throw ApiProblemException.Invalid("inputs[0].datatype",
                $"'{input.Datatype}' is not supported; use UINT8 (or another integer or FP type) with pixel values 0 to 255.");
        }

        if (input.Shape is not { Count: >= 2 } shape || shape.Any(size => size < 1))
        {
            throw ApiProblemException.Invalid("inputs[0].shape",
                $"[{string.Join(", ", input.Shape ?? [])}] is invalid; use [N, {job.Channels}, {job.Height}, {job.Width}].");
        }

        var count = shape[0];
        if (count > options.MaxPredictQueries)
        {
            throw ApiProblemException.Invalid(
                "inputs[0].shape", $"asks for {count} images, more than the limit of {options.MaxPredictQueries} per request; split it.");
        }

        if (job.Settings.QueueLimit is { } queueLimit && count > queueLimit)
        {
            throw ApiProblemException.Invalid(
                "inputs[0].shape", $"asks for {count} images, more than the model's queue limit (settings.queueLimit) of {queueLimit}; split it.");
        }

        var perImage = shape.Skip(1).ToList();
        var fits = perImage.Count switch
        {
            1 => perImage[0] == job.ImageSize,
            2 => job.Channels == 1 && perImage[0] == job.Height && perImage[1] == job.Width,
            3 => perImage[0] == job.Channels && perImage[1] == job.Height && perImage[2] == job.Width,
            _ => false,
        };
        if (!fits)
        {
            throw ApiProblemException.Invalid("inputs[0].shape",
                $"[{string.Join(", ", shape)}] does not fit this model; use [N, {job.Channels}, {job.Height}, {job.Width}].");
        }

        if (input.Data is not { } data)
        {
            throw ApiProblemException.Invalid("inputs[0].data", "missing; send the pixel values.");
        }

        var expected = count * job.ImageSize;
        var (_, values) = PixelTensor.Read(data, "inputs[0].data", expected);
        if (values.Length != expected)
        {
            throw ApiProblemException.Invalid(
                "inputs[0].data", $"contains {values.Length} values but the shape [{string.Join(", ", shape)}] needs {expected}.");
        }

        return [.. Enumerable.Range(0, (int)count).Select(i => values.AsSpan(i * job.ImageSize, job.ImageSize).ToArray())];
    }
}
