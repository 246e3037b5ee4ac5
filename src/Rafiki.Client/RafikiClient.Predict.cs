using System.Text.Json;
using Rafiki.Client.Contracts;

namespace Rafiki.Client;

public sealed partial class RafikiClient
{
    /// <summary>Classifies one image given as raw pixel bytes (channel-first) or an encoded image file.</summary>
    public async Task<PredictionView> PredictAsync(string jobId, byte[] image, CancellationToken cancellationToken = default)
    {
        var request = new PredictRequest(Query: JsonSerializer.SerializeToElement(Convert.ToBase64String(image)));
        var response = await PredictAsync(jobId, request, cancellationToken);
        return response.Prediction ?? throw new RafikiApiException("the predict response contains no prediction.");
    }

    /// <summary>Classifies several images in one request; the predictions come back in the same order.</summary>
    public async Task<IReadOnlyList<PredictionView>> PredictManyAsync(
        string jobId, IEnumerable<byte[]> images, CancellationToken cancellationToken = default)
    {
        var queries = images.Select(image => JsonSerializer.SerializeToElement(Convert.ToBase64String(image))).ToList();
        var response = await PredictAsync(jobId, new PredictRequest(Queries: queries), cancellationToken);
        return response.Predictions ?? throw new RafikiApiException("the predict response contains no predictions.");
    }

    /// <summary>Sends a predict request as given, for queries in any of the accepted encodings.</summary>
    public Task<PredictResponse> PredictAsync(string jobId, PredictRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<PredictResponse>(
            HttpMethod.Post, $"inference-jobs/{Uri.EscapeDataString(jobId)}/predict", Json(request), cancellationToken);

    /// <summary>Sends a KServe v2 inference request to the model named after the inference job.</summary>
    public Task<V2InferResponse> InferV2Async(string jobId, V2InferRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<V2InferResponse>(
            HttpMethod.Post, $"v2/models/{Uri.EscapeDataString(jobId)}/infer", Json(request), cancellationToken);

    /// <summary>Returns the KServe v2 metadata of the model named after the inference job.</summary>
    public Task<V2ModelMetadata> GetV2ModelAsync(string jobId, CancellationToken cancellationToken = default) =>
        SendAsync<V2ModelMetadata>(HttpMethod.Get, $"v2/models/{Uri.EscapeDataString(jobId)}", null, cancellationToken);

    /// <summary>Returns whether the model named after the inference job is ready for inference requests.</summary>
    public async Task<bool> IsV2ModelReadyAsync(string jobId, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(HttpMethod.Get, $"v2/models/{Uri.EscapeDataString(jobId)}/ready", null, cancellationToken);
            return true;
        }
        catch (RafikiApiException e) when (e.Status is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            return false;
        }
    }
}
