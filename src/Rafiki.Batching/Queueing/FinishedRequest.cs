namespace Rafiki.Batching.Queueing;

/// <summary>An accepted request together with how and when it ended.</summary>
/// <param name="Request">The request as it was queued.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="FinishedAtMs">Router time at which it ended.</param>
public sealed record FinishedRequest<T>(QueuedRequest<T> Request, RequestOutcome Outcome, double FinishedAtMs)
{
    /// <summary>Time from arrival to the end.</summary>
    public double LatencyMs => FinishedAtMs - Request.ArrivalMs;
}
