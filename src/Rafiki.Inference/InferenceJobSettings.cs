using Rafiki.Batching;

namespace Rafiki.Inference;

/// <summary>How a job batches requests, which latency it aims for, and where its models run.</summary>
/// <param name="MaxBatchSize">Largest batch sent to the models (Bmax).</param>
/// <param name="MaxWaitMs">
/// Fixed-wait policy: longest time the oldest queued request waits for a batch to fill, in milliseconds. The other
/// policies ignore it.
/// </param>
/// <param name="QueueLimit">
/// Maximum number of requests waiting for a batch; an arrival that finds the queue full is rejected at once. About
/// the peak throughput times <paramref name="TauMs"/> rejects at the door what could not be answered in time anyway.
/// </param>
/// <param name="Device">TorchSharp device the models run on: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
/// <param name="Policy">Batching policy, one of <see cref="BatchingPolicies.All"/>.</param>
/// <param name="TauMs">Latency target: the maximum time from a request's arrival at the router to its answer.</param>
/// <param name="MarginMs">
/// Greedy policy: time kept in reserve on top of the estimated batch latency, in milliseconds, for the messages
/// between router and models. The router measures how late its wake-ups arrive and adds that on top, so the margin
/// need not cover the timer.
/// </param>
/// <param name="OverdueAction">
/// What happens to a request that can no longer be answered within <paramref name="TauMs"/>: run it anyway and
/// answer it late, or answer it at once with <see cref="PredictionStatus.Overdue"/>.
/// </param>
/// <param name="BatchTimeoutMs">
/// Time after which a batch whose models have not all answered fails, so its requests are answered even when a
/// model's node stops responding.
/// </param>
/// <param name="DeployTimeoutMs">Time within which every model must be loaded and warm, or the deploy fails.</param>
/// <param name="MaxLateMs">
/// Maximum lateness with <see cref="OverdueAction.ServeLate"/>, in milliseconds. A queued request that would end this
/// much or more after its latency target even in a batch of one started now gets <see cref="PredictionStatus.Overdue"/>
/// at once instead of waiting longer. Null means 10 times <paramref name="TauMs"/>
/// (<see cref="BatchingOptions.LateLimitMs"/>). The reject action ignores it.
/// </param>
public sealed record InferenceJobSettings(
    int MaxBatchSize = 64,
    double MaxWaitMs = 5,
    int QueueLimit = 1024,
    string Device = "cpu",
    string Policy = BatchingPolicies.Greedy,
    double TauMs = 100,
    double MarginMs = 3,
    OverdueAction OverdueAction = OverdueAction.ServeLate,
    double BatchTimeoutMs = 10_000,
    double DeployTimeoutMs = 120_000,
    double? MaxLateMs = null)
{
    /// <summary>Returns every invalid setting, each naming the value and the fix; empty if valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxBatchSize is < 1 or > 4096)
        {
            problems.Add($"maxBatchSize: {MaxBatchSize} is invalid; use 1 to 4096.");
        }

        if (!(MaxWaitMs >= 0) || !double.IsFinite(MaxWaitMs))
        {
            problems.Add($"maxWaitMs: {MaxWaitMs} is invalid; use 0 or more milliseconds.");
        }

        if (QueueLimit < 1)
        {
            problems.Add($"queueLimit: {QueueLimit} is invalid; use 1 or more.");
        }

        if (string.IsNullOrWhiteSpace(Device))
        {
            problems.Add("device: empty; use cpu, cuda or cuda:N.");
        }

        if (!BatchingPolicies.All.Contains(Policy))
        {
            problems.Add($"policy: '{Policy}' is unknown; use one of {string.Join(", ", BatchingPolicies.All)}.");
        }

        if (!(TauMs > 0) || !double.IsFinite(TauMs))
        {
            problems.Add($"tauMs: {TauMs} is invalid; use a latency target above 0 milliseconds.");
        }

        if (!(MarginMs >= 0) || !double.IsFinite(MarginMs))
        {
            problems.Add($"marginMs: {MarginMs} is invalid; use 0 or more milliseconds.");
        }
        else if (MarginMs >= TauMs)
        {
            problems.Add($"marginMs: {MarginMs} is not below tauMs ({TauMs}); use a margin smaller than the latency target.");
        }

        if (!Enum.IsDefined(OverdueAction))
        {
            problems.Add($"overdueAction: {(int)OverdueAction} is invalid; use serve-late or reject.");
        }

        if (MaxLateMs is { } maxLateMs && (!(maxLateMs > 0) || !double.IsFinite(maxLateMs)))
        {
            problems.Add($"maxLateMs: {maxLateMs} is invalid; use a time above 0 milliseconds, or leave it unset for {BatchingOptions.DefaultLateLimitFactor} times tauMs.");
        }

        if (!(BatchTimeoutMs > 0) || !double.IsFinite(BatchTimeoutMs))
        {
            problems.Add($"batchTimeoutMs: {BatchTimeoutMs} is invalid; use a time above 0 milliseconds.");
        }

        if (!(DeployTimeoutMs > 0) || !double.IsFinite(DeployTimeoutMs))
        {
            problems.Add($"deployTimeoutMs: {DeployTimeoutMs} is invalid; use a time above 0 milliseconds.");
        }

        return problems;
    }

    /// <summary>Returns the batching-layer settings of these settings; call <see cref="Validate"/> first.</summary>
    public BatchingOptions ToBatchingOptions() => new(TauMs, MaxBatchSize)
    {
        MarginMs = MarginMs,
        OverdueAction = OverdueAction,
        MaxLateMs = MaxLateMs,
        QueueCapacity = QueueLimit,
        MaxQueueDelayMs = MaxWaitMs,
    };
}
