namespace Rafiki.Batching.Queueing;

/// <summary>A batch taken from the queue and sent to the model, whose results have not arrived yet.</summary>
/// <param name="Id">Identifier to pass back when the batch completes or fails, unique within one queue.</param>
/// <param name="Requests">The batch's requests, oldest first.</param>
/// <param name="StartedAtMs">Router time at which the batch was taken from the queue.</param>
public sealed record InFlightBatch<T>(long Id, IReadOnlyList<QueuedRequest<T>> Requests, double StartedAtMs)
{
    /// <summary>Number of requests in the batch.</summary>
    public int Size => Requests.Count;
}
