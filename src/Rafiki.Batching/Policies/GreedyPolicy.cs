using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Policies;

/// <summary>
/// Rafiki's greedy batching. It aims for batches of B, the size up to Bmax with the highest estimated throughput
/// b / c(b), which is Bmax when larger batches are always more efficient. With n requests queued, it runs the B
/// oldest when n is at least B. Otherwise it waits for one more request as long as the larger batch could still
/// finish in time for the oldest request, that is while <c>w_oldest + c(n + 1) + margin + lag &lt; tau</c>, where
/// lag is the expected lateness of a wake-up (<see cref="IBatchLatencyModel.WakeUpLagMs"/>), and runs the n queued
/// requests as soon as that is false. With <see cref="OverdueAction.Reject"/> it also rejects the oldest requests
/// that would end late in the batch it starts, and fills the batch with newer ones instead. With
/// <see cref="OverdueAction.ServeLate"/> it defers overdue requests behind the ones still in time
/// (<see cref="BatchingPolicy.DefersOverdueRequests"/>), and defers in the same way the oldest requests that would
/// end late in the batch it starts.
/// </summary>
/// <remarks>
/// <para>
/// The wait ends at equality rather than just after it, so that a timer set to the returned wake-up time always
/// finds the condition false and starts the batch.
/// </para>
/// <para>
/// Greedy starts a batch that waited as late as the margin allows, so a pause of the machine longer than the margin,
/// such as a garbage collection, makes the batch miss tau. It therefore learns an extra margin. A batch smaller than
/// B in which requests that were in time at its start ended late adds how late they ended plus
/// <see cref="MarginStepMs"/>. Every other batch takes away a small share of that step. A batch of B does not count,
/// because it starts as soon as B requests are queued, as under overload, and no margin would make it end sooner.
/// With the step alone the extra margin would settle where <see cref="TargetMissRate"/> of the batches miss, the way
/// a quantile is tracked online, and adding the lateness makes misses rarer than that. The extra margin stays at or
/// below a quarter of tau, so greedy still batches.
/// </para>
/// </remarks>
public sealed class GreedyPolicy : BatchingPolicy
{
    /// <summary>Share of batches that would miss tau if each miss raised the extra margin by the step alone.</summary>
    public const double TargetMissRate = 0.005;

    /// <summary>Fixed part of the increase of the extra margin after a miss, in milliseconds.</summary>
    public const double MarginStepMs = 1;

    /// <param name="options">Settings; <see cref="BatchingOptions.MarginMs"/> is the reserve on top of c(b).</param>
    /// <param name="latencyModel">Estimate of c(b).</param>
    public GreedyPolicy(BatchingOptions options, IBatchLatencyModel latencyModel)
        : base(options, latencyModel)
    {
    }

    /// <inheritdoc />
    public override string Name => BatchingPolicies.Greedy;

    /// <inheritdoc />
    protected override bool DefersOverdueRequests => true;

    /// <summary>The configured margin plus the extra margin learnt from missed deadlines.</summary>
    public override double MarginMs => Options.MarginMs + ExtraMarginMs;

    /// <summary>Extra margin learnt from missed deadlines, in milliseconds; 0 at the start.</summary>
    public double ExtraMarginMs { get; private set; }

    /// <summary>Raises the extra margin after a batch smaller than B that missed tau for requests in time at its
    /// start, and lowers it a little after any other batch.</summary>
    public override void OnBatchCompleted(BatchFeedback feedback)
    {
        var limitMs = Math.Max(0, (Options.TauMs / 4) - Options.MarginMs);

        // A lateness that is not a positive number, which the scheduler never reports, counts as 0.
        var missedByMs = feedback.MissedByMs > 0 ? feedback.MissedByMs : 0;
        var missed = feedback.MissedCount > 0 && feedback.BatchSize < MostEfficientBatchSize();
        ExtraMarginMs = missed
            ? Math.Min(limitMs, ExtraMarginMs + missedByMs + MarginStepMs)
            : Math.Max(0, ExtraMarginMs - (MarginStepMs * TargetMissRate / (1 - TargetMissRate)));
    }

    /// <inheritdoc />
    protected override int DeferredBatchSizeLimit => MostEfficientBatchSize();

    /// <inheritdoc />
    protected override BatchPlan Plan(QueueSnapshot queue)
    {
        var count = queue.Count;
        var targetSize = MostEfficientBatchSize();
        if (count < targetSize)
        {
            var largerBatchMs = LatencyModel.EstimateMs(count + 1);
            var dispatchAtMs = DispatchDeadlineMs(queue.OldestArrivalMs, largerBatchMs);
            if (queue.NowMs < dispatchAtMs)
            {
                return BatchPlan.WaitUntil(dispatchAtMs);
            }
        }

        if (Options.OverdueAction == OverdueAction.Reject)
        {
            var skipped = RequestsThatWouldBeLate(queue, targetSize);
            return BatchPlan.RejectThenRun(skipped, Math.Min(targetSize, count - skipped));
        }

        // Serving late, the same requests stay queued and run late when there is room, so the batch ends in time.
        // With fewer than B queued the wait itself ended late, so the requests run in order and the missed batch
        // raises the learnt margin. When even the newest request is overdue, the oldest run first.
        var newestOverdueAtMs = OverdueRule.OverdueAtMs(queue.ArrivalMs(count - 1), Options.TauMs, LatencyModel.EstimateMs(1));
        if (count < targetSize || queue.NowMs >= newestOverdueAtMs)
        {
            return BatchPlan.Run(Math.Min(count, targetSize));
        }

        var deferred = RequestsThatWouldBeLate(queue, targetSize);
        return BatchPlan.DeferThenRun(deferred, Math.Min(targetSize, count - deferred));
    }

    /// <summary>
    /// Returns the batch size up to Bmax with the highest estimated throughput, b over the typical latency of b
    /// (<see cref="IBatchLatencyModel.TypicalMs"/>), the smallest on a tie.
    /// Past that size a larger batch serves fewer requests per second, so waiting for one only adds latency. This
    /// happens on CPUs: the small CNN of the inference benchmark served the most images per second in batches of 16
    /// and fewer in batches of 64.
    /// </summary>
    private int MostEfficientBatchSize()
    {
        var best = 1;
        var bestThroughput = 0.0;
        for (var size = 1; size <= Options.MaxBatchSize; size++)
        {
            var throughput = size / LatencyModel.TypicalMs(size);
            if (throughput > bestThroughput)
            {
                best = size;
                bestThroughput = throughput;
            }
        }

        return best;
    }

    /// <summary>
    /// Returns how many of the oldest requests would end after their deadline in the batch that runs now, which
    /// takes up to <paramref name="targetSize"/> (B) of the requests after them. A backlog builds at the crest of a
    /// load wave or while the machine is slower than usual. Its oldest requests are then often still in time for a
    /// batch of one but not for the full batch that serves the backlog fastest. Running them would make them
    /// late and push every request behind them later too, so that a backlog near tau makes every request late until
    /// it drains. Leaving them out, rejected or deferred, lets the full batch end in time, and only the excess load
    /// ends late. It finds the fewest oldest requests k such that request k, the oldest that runs, ends in time in a
    /// batch of min(B, n - k). That condition only turns from false to true as k grows, because later requests
    /// arrived later and smaller batches are no slower.
    /// </summary>
    private int RequestsThatWouldBeLate(QueueSnapshot queue, int targetSize)
    {
        var low = 0;
        var high = queue.Count - 1;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (EndsInTime(queue, middle, targetSize))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        // The newest request is never left out: rejecting, the overdue rule left only requests that a batch of one
        // still serves in time, and serving late, the caller checked the same for the newest. Either way k = n - 1
        // satisfies the condition.
        return low;
    }

    /// <summary>Returns true when request <paramref name="first"/> ends in time if it and up to
    /// <paramref name="targetSize"/> - 1 newer requests run now, without the older ones.</summary>
    private bool EndsInTime(QueueSnapshot queue, int first, int targetSize)
    {
        var batchSize = Math.Min(targetSize, queue.Count - first);
        return queue.NowMs + LatencyModel.EstimateMs(batchSize) <= queue.ArrivalMs(first) + Options.TauMs;
    }

    /// <summary>
    /// Returns the last time at which the oldest request may wait for one more arrival: after it, a batch that
    /// takes <paramref name="largerBatchMs"/> would end later than the latency target minus the margin, once the
    /// expected lateness of the wake-up is added to the wait.
    /// </summary>
    private double DispatchDeadlineMs(double oldestArrivalMs, double largerBatchMs) =>
        oldestArrivalMs + Options.TauMs - MarginMs - LatencyModel.WakeUpLagMs - largerBatchMs;
}
