using Rafiki.Client.Contracts;

namespace Rafiki.Client;

public sealed partial class RafikiClient
{
    /// <summary>Creates a train job: a study that tunes the chosen model families on the caller's datasets.</summary>
    public Task<TrainJobView> CreateTrainJobAsync(CreateTrainJobRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<TrainJobView>(HttpMethod.Post, "train-jobs", Json(request), cancellationToken);

    /// <summary>Lists the caller's train jobs (every job for an admin), oldest first.</summary>
    public Task<IReadOnlyList<TrainJobSummary>> ListTrainJobsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<TrainJobSummary>>(HttpMethod.Get, "train-jobs", null, cancellationToken);

    /// <summary>Returns a train job with its trials.</summary>
    public Task<TrainJobView> GetTrainJobAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<TrainJobView>(HttpMethod.Get, $"train-jobs/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Stops a train job: no trial starts, and running trials stop at their next epoch.</summary>
    public Task<TrainJobView> StopTrainJobAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<TrainJobView>(HttpMethod.Post, $"train-jobs/{Uri.EscapeDataString(id)}/stop", null, cancellationToken);

    /// <summary>Returns the trials of a train job in start order.</summary>
    public Task<IReadOnlyList<TrialView>> ListTrialsAsync(string trainJobId, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<TrialView>>(
            HttpMethod.Get, $"train-jobs/{Uri.EscapeDataString(trainJobId)}/trials", null, cancellationToken);

    /// <summary>Returns up to <paramref name="count"/> deployable trials, best validation accuracy first.</summary>
    public Task<IReadOnlyList<TrialView>> GetBestTrialsAsync(
        string trainJobId, int count = 1, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<TrialView>>(
            HttpMethod.Get, $"train-jobs/{Uri.EscapeDataString(trainJobId)}/trials/best?count={count}", null, cancellationToken);

    /// <summary>Polls a train job until it is no longer running, or throws <see cref="TimeoutException"/>.</summary>
    public async Task<TrainJobView> WaitForTrainJobAsync(
        string id, TimeSpan timeout, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var job = await GetTrainJobAsync(id, cancellationToken);
            if (job.State != "running")
            {
                return job;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"train job {id} still running after {timeout}.");
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>Deploys trials of a train job as an inference job; returns once every model is loaded.</summary>
    public Task<InferenceJobView> CreateInferenceJobAsync(
        CreateInferenceJobRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<InferenceJobView>(HttpMethod.Post, "inference-jobs", Json(request), cancellationToken);

    /// <summary>Lists the caller's inference jobs (every job for an admin), oldest first.</summary>
    public Task<IReadOnlyList<InferenceJobView>> ListInferenceJobsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<InferenceJobView>>(HttpMethod.Get, "inference-jobs", null, cancellationToken);

    /// <summary>Returns an inference job with its live statistics.</summary>
    public Task<InferenceJobView> GetInferenceJobAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<InferenceJobView>(HttpMethod.Get, $"inference-jobs/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Stops an inference job and frees its models.</summary>
    public Task<InferenceJobView> StopInferenceJobAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<InferenceJobView>(HttpMethod.Post, $"inference-jobs/{Uri.EscapeDataString(id)}/stop", null, cancellationToken);
}
