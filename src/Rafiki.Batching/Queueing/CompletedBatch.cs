namespace Rafiki.Batching.Queueing;

/// <summary>Result of <see cref="BatchScheduler{T}.Complete"/>.</summary>
/// <param name="Requests">Every request of the batch with its outcome, to be answered now.</param>
/// <param name="Feedback">Feedback passed to the policy; the latency model recorded the same size and latency.</param>
public sealed record CompletedBatch<T>(IReadOnlyList<FinishedRequest<T>> Requests, BatchFeedback Feedback);
