using Rafiki.Api.Data;
using Rafiki.Api.Endpoints;
using Rafiki.Api.Metrics;
using Rafiki.Api.Node;
using Rafiki.Api.Problems;
using Rafiki.Batching;
using Rafiki.Inference;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Api.Predictions;

/// <summary>
/// Sends the images of one HTTP request to an inference job at once, so they can share batches. A full queue
/// becomes a 429 with Retry-After, a job that stopped meanwhile a 409, and a model failure a 500. An overdue result
/// becomes a 503 with Retry-After. A job sends one for a request that can no longer meet its latency target
/// (overdue action reject), or that would end maxLateMs or more after it (serve-late).
/// </summary>
public sealed class PredictionService(NodeGateway gateway, ApiOptions options, ApiMetrics metrics)
{
    /// <summary>Returns one result per image, in order.</summary>
    /// <param name="job">The job, already checked to belong to the caller and to be running.</param>
    /// <param name="images">Pixel bytes of each image.</param>
    /// <param name="protocol">Label for metrics: <c>rafiki</c> or <c>v2</c>.</param>
    /// <param name="cancellationToken">Aborts the wait; the job still replies to the queued requests.</param>
    public async Task<PredictionResult[]> PredictAsync(
        InferenceJobRecord job, IReadOnlyList<byte[]> images, string protocol, CancellationToken cancellationToken)
    {
        metrics.RecordPredictRequest(protocol, images.Count);
        var requestId = Guid.NewGuid().ToString("N");
        var pending = images
            .Select((image, index) => gateway.PredictAsync(job.Id, $"{requestId}-{index}", image, cancellationToken))
            .ToList();
        var results = new PredictionResult[images.Count];
        var remaining = pending.ToHashSet();
        while (remaining.Count > 0)
        {
            var done = await Task.WhenAny(remaining);
            remaining.Remove(done);
            var result = await done;
            var index = pending.IndexOf(done);

            // On a rejection or an overdue result return at once. The job still replies to the other requests it
            // queued, and those replies are dropped.
            if (result.Status == PredictionStatus.Rejected)
            {
                metrics.RecordRejected(protocol);
                throw new ApiProblemException(429, "Too many requests",
                    $"inference job '{job.Id}' rejected query {index}: {result.Error} Retry after {options.RetryAfterSeconds} s.")
                {
                    Headers = RetryAfter(),
                };
            }

            if (result.Status == PredictionStatus.Overdue)
            {
                metrics.RecordOverdue(protocol);
                throw Overdue(job, index, result);
            }

            if (result.Status == PredictionStatus.Failed)
            {
                await ThrowFailureAsync(job, index, result, cancellationToken);
            }

            results[index] = result;
        }

        return results;
    }

    private ApiProblemException Overdue(InferenceJobRecord job, int index, PredictionResult result)
    {
        var settings = job.Description.Settings;
        var tau = settings.TauMs is { } tauMs ? $" of {tauMs} ms" : "";
        var retry = $"Retry after {options.RetryAfterSeconds} s, send fewer queries at a time, or deploy a new inference job";
        string detail;
        if (settings.OverdueAction == ApiNames.Of(OverdueAction.Reject))
        {
            detail = $"inference job '{job.Id}' answered query {index} as overdue without a prediction, because it could no longer "
                + $"be answered within the job's latency target tau{tau} (it had waited {result.LatencyMs:F2} ms). "
                + $"{retry} with a larger settings.tauMs or with settings.overdueAction serve-late.";
        }
        else
        {
            var maxLate = settings.MaxLateMs is { } maxLateMs ? $" of {maxLateMs} ms" : "";
            detail = $"inference job '{job.Id}' answered query {index} as overdue without a prediction: it had waited "
                + $"{result.LatencyMs:F2} ms, and its answer would have come the job's maximum lateness "
                + $"settings.maxLateMs{maxLate} or more after its latency target tau{tau}. "
                + $"{retry} with a larger settings.maxLateMs or settings.tauMs.";
        }

        return new ApiProblemException(503, "Latency target missed", detail)
        {
            Headers = RetryAfter(),
        };
    }

    private Dictionary<string, string> RetryAfter() => new()
    {
        ["Retry-After"] = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private async Task ThrowFailureAsync(InferenceJobRecord job, int index, PredictionResult result, CancellationToken cancellationToken)
    {
        if (await gateway.GetInferenceJobAsync(job.Id, cancellationToken) is null)
        {
            throw ApiProblemException.Conflict($"inference job '{job.Id}' is not running; deploy a new inference job.");
        }

        throw new ApiProblemException(500, "Prediction failed", $"query {index} failed in inference job '{job.Id}': {result.Error}");
    }
}
