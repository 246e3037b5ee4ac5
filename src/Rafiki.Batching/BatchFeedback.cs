namespace Rafiki.Batching;

/// <summary>
/// Observations of one finished batch, passed to <see cref="IBatchingPolicy.OnBatchCompleted"/>.
/// </summary>
/// <param name="BatchSize">Number of requests in the batch.</param>
/// <param name="LatencyMs">Time from dispatching the batch to receiving its results.</param>
/// <param name="LateCount">Number of requests in the batch answered after the latency target.</param>
/// <param name="CompletedAtMs">Router time at which the results arrived.</param>
/// <param name="MissedCount">
/// Number of late requests in the batch that were not yet overdue when it started: a batch of one started then would
/// have ended before their deadline.
/// </param>
/// <param name="MissedByMs">How far the latest of the missed requests ended past its deadline; 0 when none missed.</param>
public readonly record struct BatchFeedback(
    int BatchSize, double LatencyMs, int LateCount, double CompletedAtMs, int MissedCount = 0, double MissedByMs = 0);
