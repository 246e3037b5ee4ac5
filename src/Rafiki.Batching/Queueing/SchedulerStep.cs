namespace Rafiki.Batching.Queueing;

/// <summary>What the router does after one <see cref="BatchScheduler{T}.Poll"/>, in this order.</summary>
/// <param name="Rejected">Requests that left the queue as overdue; reply to each now with an overdue error.</param>
/// <param name="Batch">A batch to send to the model now, or null.</param>
/// <param name="WakeAtMs">
/// Time at which to call <see cref="BatchScheduler{T}.Poll"/> again if nothing else happens first. The router
/// replaces any timer it set before; null means no timer is needed.
/// </param>
/// <param name="OverdueCount">Overdue requests found by this poll, including those in <paramref name="Rejected"/>,
/// those served late in <paramref name="Batch"/>, and those the policy leaves queued or rejects because they would
/// end late in <paramref name="Batch"/>.</param>
public sealed record SchedulerStep<T>(
    IReadOnlyList<FinishedRequest<T>> Rejected,
    InFlightBatch<T>? Batch,
    double? WakeAtMs,
    int OverdueCount);
