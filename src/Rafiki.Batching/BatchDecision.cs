namespace Rafiki.Batching;

/// <summary>
/// A policy's decision for one queue snapshot. The router applies it in this order: reject the
/// <see cref="RejectCount"/> oldest requests as overdue and remove them, then, if <see cref="BatchSize"/> is above 0,
/// run <see cref="BatchSize"/> of the remaining requests as one batch: the oldest ones after the
/// <see cref="DeferredCount"/> requests that stay queued ahead of them. Otherwise it sets a timer for
/// <see cref="WakeAtMs"/>, if there is one, and calls the policy again when the timer fires or anything else happens.
/// </summary>
/// <param name="OverdueCount">
/// Number of oldest queued requests that can no longer finish within the latency target even if they ran
/// immediately in a batch of one. With <see cref="OverdueAction.ServeLate"/> it includes the expired requests in
/// <see cref="RejectCount"/>, and the others stay queued and run first. With <see cref="OverdueAction.Reject"/> it
/// also counts the requests a policy rejects because they would end late in the batch it starts now, as greedy
/// does. A policy that defers overdue requests with <see cref="OverdueAction.ServeLate"/> runs newer requests first
/// and counts the deferred ones again on every decision, including those it defers because they would end late in
/// the batch it starts now.
/// </param>
/// <param name="RejectCount">
/// Number of oldest requests to remove now and reply to with an overdue error. With
/// <see cref="OverdueAction.Reject"/> it is <see cref="OverdueCount"/>. With <see cref="OverdueAction.ServeLate"/>
/// it is the number of expired requests: those that would end <see cref="BatchingOptions.LateLimitMs"/> or more
/// after their deadline even in a batch of one started now.
/// </param>
/// <param name="BatchSize">
/// Number of requests to run now, taken oldest first after the rejected and the deferred ones, or 0 to wait.
/// </param>
/// <param name="WakeAtMs">
/// When <see cref="BatchSize"/> is 0: the time at which to call the policy again even if nothing arrives, always
/// later than the snapshot's time. Null when only an arrival can change the decision, and always null when a batch
/// runs, because the batch's completion is the next event.
/// </param>
/// <param name="DeferredCount">
/// Number of oldest requests, after the rejected ones, that stay queued while the batch runs the requests after
/// them. Only requests that are overdue or would end late in this batch are deferred, and only with
/// <see cref="OverdueAction.ServeLate"/>.
/// </param>
public readonly record struct BatchDecision(
    int OverdueCount, int RejectCount, int BatchSize, double? WakeAtMs, int DeferredCount = 0)
{
    /// <summary>True when the decision runs a batch now.</summary>
    public bool RunsBatch => BatchSize > 0;
}
