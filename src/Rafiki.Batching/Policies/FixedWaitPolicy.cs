using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Policies;

/// <summary>
/// A dynamic batcher in the style of NVIDIA Triton's: it runs Bmax requests as soon as that many are queued, and
/// otherwise runs whatever is queued once the oldest request has waited
/// <see cref="BatchingOptions.MaxQueueDelayMs"/>. It ignores the latency target except to find overdue requests.
/// </summary>
public sealed class FixedWaitPolicy : BatchingPolicy
{
    /// <param name="options">Settings; <see cref="BatchingOptions.MaxQueueDelayMs"/> is the maximum wait.</param>
    /// <param name="latencyModel">Estimate of c(b), used to find overdue requests.</param>
    public FixedWaitPolicy(BatchingOptions options, IBatchLatencyModel latencyModel)
        : base(options, latencyModel)
    {
    }

    /// <inheritdoc />
    public override string Name => BatchingPolicies.FixedWait;

    /// <inheritdoc />
    protected override BatchPlan Plan(QueueSnapshot queue)
    {
        if (queue.Count >= Options.MaxBatchSize)
        {
            return BatchPlan.Run(Options.MaxBatchSize);
        }

        var dispatchAtMs = queue.OldestArrivalMs + Options.MaxQueueDelayMs;
        return queue.NowMs >= dispatchAtMs ? BatchPlan.Run(queue.Count) : BatchPlan.WaitUntil(dispatchAtMs);
    }
}
