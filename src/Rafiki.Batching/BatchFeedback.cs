namespace Rafiki.Batching;

/// <summary>
/// Observations of one finished batch, passed to <see cref="IBatchingPolicy.OnBatchCompleted"/>.
/// </summary>
/// <param name="BatchSize">Number of requests in the batch.</param>
/// <param name="LatencyMs">Time from dispatching the batch to receiving its results.</param>
/// <param name="LateCount">Number of requests in the batch answered after the latency target.</param>
/// <param name="CompletedAtMs">Router time at which the results arrived.</param>
public readonly record struct BatchFeedback(int BatchSize, double LatencyMs, int LateCount, double CompletedAtMs);
