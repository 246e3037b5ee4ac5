namespace Rafiki.Batching.Queueing;

/// <summary>A request accepted into a <see cref="BoundedRequestQueue{T}"/>.</summary>
/// <param name="Sequence">Position in arrival order: 0 for the first accepted request, then 1, 2, ...</param>
/// <param name="Request">The caller's request, such as the message and its sender.</param>
/// <param name="ArrivalMs">Router time at which the request arrived.</param>
public sealed record QueuedRequest<T>(long Sequence, T Request, double ArrivalMs);
