using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rafiki.Api.Auth;
using Rafiki.Api.Data;
using Rafiki.Api.Predictions;
using Rafiki.Api.Problems;
using Rafiki.Client.Contracts;

namespace Rafiki.Api.Endpoints;

/// <summary>The Rafiki predict endpoint: one query or a list of queries per request.</summary>
public static class PredictEndpoints
{
    /// <summary>Maps <c>POST /inference-jobs/{id}/predict</c>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/inference-jobs/{id}/predict", PredictAsync).RequireAuthorization(Policies.Predict)
            .Accepts<PredictRequest>("application/json").Produces<PredictResponse>()
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(429).ProducesProblem(503)
            .WithSummary("Classify one image (query) or several (queries)");
    }

    private static async Task<PredictResponse> PredictAsync(
        string id, HttpContext context, JobStore jobs, ApiOptions options, PredictionService predictions)
    {
        var job = InferenceJobEndpoints.FindOwned(id, context.User, jobs);
        var request = await JsonBody.ReadAsync<PredictRequest>(context.Request, context.RequestAborted);
        var single = request.Query is { } query && query.ValueKind != System.Text.Json.JsonValueKind.Null;
        var many = request.Queries is not null;
        if (single == many)
        {
            throw ApiProblemException.Invalid("query", "send exactly one of query (one image) or queries (a list of images).");
        }

        var queries = single ? [request.Query!.Value] : request.Queries!;
        if (queries.Count == 0)
        {
            throw ApiProblemException.Invalid("queries", "empty; send at least one image.");
        }

        if (queries.Count > options.MaxPredictQueries)
        {
            throw ApiProblemException.Invalid(
                "queries", $"contains {queries.Count} images, more than the limit of {options.MaxPredictQueries} per request; split it.");
        }

        if (job.Description.Settings.QueueLimit is { } queueLimit && queries.Count > queueLimit)
        {
            // Such a request could never be queued whole, so it would fail with 429 however often it was retried.
            throw ApiProblemException.Invalid(
                "queries", $"contains {queries.Count} images, more than the job's queue limit (settings.queueLimit) of {queueLimit}; split it.");
        }

        var images = queries
            .Select((item, index) => ImageQueryDecoder.Decode(item, job.Description, single ? "query" : $"queries[{index}]"))
            .ToList();
        InferenceJobEndpoints.RequireNotStopped(job);
        var results = await predictions.PredictAsync(job, images, "rafiki", context.RequestAborted);
        var views = results
            .Select(result => new PredictionView(result.Label, result.ClassName!, result.Probabilities, result.Late))
            .ToList();
        return single ? new PredictResponse(Prediction: views[0]) : new PredictResponse(Predictions: views);
    }
}
