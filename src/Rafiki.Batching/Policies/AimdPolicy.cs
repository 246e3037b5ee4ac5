using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Policies;

/// <summary>
/// Adaptive batching in the style of Clipper's AIMD batch sizing (Crankshaw et al., "Clipper: A Low-Latency Online
/// Prediction Serving System", NSDI 2017). When the model is free it runs up to a cap of the oldest requests without
/// waiting. After each batch whose own latency stayed within the latency target the cap grows by
/// <see cref="BatchingOptions.AimdIncrease"/>, up to Bmax. After a batch that took longer than the target the cap is
/// multiplied by <see cref="BatchingOptions.AimdDecreaseFactor"/>, down to 1.
/// </summary>
/// <remarks>
/// The signal is the batch's own latency, not the time its requests spent queued, so a cap that keeps every batch
/// under the target can still let requests miss the target while they wait for the model.
/// </remarks>
public sealed class AimdPolicy : BatchingPolicy
{
    /// <param name="options">Settings; the AIMD ones set the cap's start, step and cut.</param>
    /// <param name="latencyModel">Estimate of c(b), used to find overdue requests.</param>
    public AimdPolicy(BatchingOptions options, IBatchLatencyModel latencyModel)
        : base(options, latencyModel)
    {
        BatchSizeCap = options.AimdInitialBatchSize;
    }

    /// <inheritdoc />
    public override string Name => BatchingPolicies.Aimd;

    /// <summary>Current maximum batch size, from 1 to Bmax.</summary>
    public int BatchSizeCap { get; private set; }

    /// <inheritdoc />
    public override void OnBatchCompleted(BatchFeedback feedback)
    {
        if (feedback.LatencyMs <= Options.TauMs)
        {
            BatchSizeCap = Math.Min(Options.MaxBatchSize, BatchSizeCap + Options.AimdIncrease);
        }
        else
        {
            BatchSizeCap = Math.Max(1, (int)Math.Floor(BatchSizeCap * Options.AimdDecreaseFactor));
        }
    }

    /// <inheritdoc />
    protected override BatchPlan Plan(QueueSnapshot queue) => BatchPlan.Run(Math.Min(queue.Count, BatchSizeCap));
}
