using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Queueing;

/// <summary>
/// Batching for one model that runs one batch at a time: a bounded queue, a policy, the batch latency model and the
/// model's busy flag, with no clock and no threads of its own. The router passes the time to every call and acts on
/// what the calls return:
/// <list type="number">
/// <item>on a request: <see cref="Enqueue"/>, replying at once with a rejection if the queue is full, then
/// <see cref="Poll"/>;</item>
/// <item>on a batch's results: <see cref="Complete"/> (or <see cref="Fail"/>), then <see cref="Poll"/> and a
/// reply to each request of the batch, in either order;</item>
/// <item>when the timer set to <see cref="SchedulerStep{T}.WakeAtMs"/> fires: <see cref="Poll"/>.</item>
/// </list>
/// The policy decides only while no batch is running. While one runs, <see cref="Poll"/> still rejects overdue
/// requests when <see cref="OverdueAction.Reject"/> is set, and expired ones (<see cref="BatchingOptions.MaxLateMs"/>)
/// when <see cref="OverdueAction.ServeLate"/> is set. It judges them as if the model were free, so with an accurate
/// c(1) estimate it never rejects a request that could still finish in time, or within the maximum lateness.
/// </summary>
/// <remarks>
/// Not thread-safe: one owner, such as the router actor, makes every call. Times are milliseconds on one monotonic
/// clock. The simulator in <c>Rafiki.Batching.Simulation</c> drives this same class in virtual time.
/// NOTE: one scheduler serves one model replica. Replicas that share a queue would need a busy flag and a running
/// batch per replica, which this class does not have yet.
/// </remarks>
public sealed class BatchScheduler<T>
{
    private readonly BoundedRequestQueue<T> _queue;
    private readonly BatchingOptions _options;

    /// <param name="policy">The policy; it must read <paramref name="latencyModel"/>.</param>
    /// <param name="latencyModel">
    /// The model that the policy plans with. The scheduler records every completed batch in it.
    /// </param>
    public BatchScheduler(IBatchingPolicy policy, BatchLatencyModel latencyModel)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(latencyModel);
        Policy = policy;
        LatencyModel = latencyModel;
        _options = policy.Options;
        _queue = new BoundedRequestQueue<T>(_options.QueueCapacity, _options.TauMs);
    }

    /// <summary>
    /// Creates a scheduler with the policy called <paramref name="policyName"/> planning with
    /// <paramref name="latencyModel"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown or a setting is invalid.</exception>
    public BatchScheduler(string policyName, BatchingOptions options, BatchLatencyModel latencyModel)
        : this(BatchingPolicies.Create(policyName, options, latencyModel), latencyModel)
    {
    }

    /// <summary>The policy that decides about batches.</summary>
    public IBatchingPolicy Policy { get; }

    /// <summary>The latency model that the policy plans with.</summary>
    public BatchLatencyModel LatencyModel { get; }

    /// <summary>The batch the model is running, or null when the model is free.</summary>
    public InFlightBatch<T>? RunningBatch { get; private set; }

    /// <summary>True while a batch runs.</summary>
    public bool IsBusy => RunningBatch is not null;

    /// <summary>Number of waiting requests.</summary>
    public int QueueLength => _queue.Count;

    /// <summary>Counters of every request offered so far.</summary>
    public OutcomeCounts Counts => _queue.Counts;

    /// <summary>
    /// Returns the waiting requests, oldest first, without removing them; the running batch is in
    /// <see cref="RunningBatch"/>. A router that stops uses both to reply to every request it accepted.
    /// </summary>
    public IReadOnlyList<QueuedRequest<T>> WaitingRequests() => _queue.WaitingRequests();

    /// <summary>
    /// Queues a request that arrived at <paramref name="nowMs"/>, or rejects it when the queue is full.
    /// </summary>
    public EnqueueResult Enqueue(T request, double nowMs) => _queue.TryEnqueue(request, nowMs);

    /// <summary>
    /// Decides what happens now: overdue requests to reject, a batch to start, and when to poll again.
    /// </summary>
    public SchedulerStep<T> Poll(double nowMs)
    {
        if (IsBusy)
        {
            return PollWhileBusy(nowMs);
        }

        var decision = Policy.Decide(_queue.Snapshot(nowMs));
        var rejected = decision.RejectCount > 0 ? _queue.RejectOverdue(decision.RejectCount, nowMs) : [];
        InFlightBatch<T>? batch = null;
        if (decision.RunsBatch)
        {
            batch = _queue.StartBatch(decision.BatchSize, nowMs, decision.DeferredCount);
            RunningBatch = batch;
        }

        return new SchedulerStep<T>(rejected, batch, decision.WakeAtMs, decision.OverdueCount);
    }

    /// <summary>
    /// Ends the running batch: sets the outcome of each request, records the batch latency (from <see cref="Poll"/>
    /// to now, messaging included) in the latency model and passes the feedback to the policy.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="batchId"/> is not the running batch.</exception>
    public CompletedBatch<T> Complete(long batchId, double nowMs)
    {
        var batch = TakeRunningBatch(batchId);
        var finished = _queue.CompleteBatch(batchId, nowMs);
        var lateCount = finished.Count(request => request.Outcome == RequestOutcome.OverdueServedLate);
        var latencyMs = nowMs - batch.StartedAtMs;
        var (missedCount, missedByMs) = Misses(finished, batch.StartedAtMs, nowMs);
        var feedback = new BatchFeedback(batch.Size, latencyMs, lateCount, nowMs, missedCount, missedByMs);
        LatencyModel.Observe(batch.Size, latencyMs);
        Policy.OnBatchCompleted(feedback);
        return new CompletedBatch<T>(finished, feedback);
    }

    /// <summary>
    /// Ends the running batch as failed. Its latency is not recorded, because a failure reveals nothing about how
    /// long a batch takes, and the policy receives no feedback.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="batchId"/> is not the running batch.</exception>
    public IReadOnlyList<FinishedRequest<T>> Fail(long batchId, double nowMs)
    {
        TakeRunningBatch(batchId);
        return _queue.FailBatch(batchId, nowMs);
    }

    /// <summary>
    /// Counts the late requests of a finished batch that were not overdue when it started, by the estimate of c(1)
    /// before this batch's latency is recorded, and returns how far the latest of them ended past its deadline.
    /// </summary>
    private (int Count, double ByMs) Misses(IReadOnlyList<FinishedRequest<T>> finished, double startedAtMs, double nowMs)
    {
        var tauMs = Policy.Options.TauMs;
        var singleLatencyMs = LatencyModel.EstimateMs(1);
        var count = 0;
        var byMs = 0.0;
        foreach (var request in finished)
        {
            var deadlineMs = request.Request.ArrivalMs + tauMs;
            if (request.Outcome == RequestOutcome.OverdueServedLate && startedAtMs + singleLatencyMs < deadlineMs)
            {
                count++;
                byMs = Math.Max(byMs, nowMs - deadlineMs);
            }
        }

        return (count, byMs);
    }

    private SchedulerStep<T> PollWhileBusy(double nowMs)
    {
        if (_queue.Count == 0)
        {
            return new SchedulerStep<T>([], null, null, 0);
        }

        var singleLatencyMs = LatencyModel.EstimateMs(1);
        var snapshot = _queue.Snapshot(nowMs);
        var overdue = OverdueRule.CountOverdue(snapshot, _options.TauMs, singleLatencyMs);
        var reject = _options.OverdueAction == OverdueAction.Reject
            ? overdue
            : OverdueRule.CountExpired(snapshot, _options.TauMs, _options.LateLimitMs, singleLatencyMs);
        var rejected = reject > 0 ? _queue.RejectOverdue(reject, nowMs) : [];
        double? wakeAtMs = _queue.Count > 0 ? DueAtMs(_queue.ArrivalTimes[0], singleLatencyMs) : null;
        return new SchedulerStep<T>(rejected, null, wakeAtMs, overdue);
    }

    /// <summary>
    /// Returns the time at which a waiting request that arrived at <paramref name="arrivalMs"/> is rejected: when it
    /// turns overdue with <see cref="OverdueAction.Reject"/>, or when it expires with
    /// <see cref="OverdueAction.ServeLate"/>.
    /// </summary>
    private double DueAtMs(double arrivalMs, double singleLatencyMs) => _options.OverdueAction == OverdueAction.Reject
        ? OverdueRule.OverdueAtMs(arrivalMs, _options.TauMs, singleLatencyMs)
        : OverdueRule.ExpiresAtMs(arrivalMs, _options.TauMs, _options.LateLimitMs, singleLatencyMs);

    private InFlightBatch<T> TakeRunningBatch(long batchId)
    {
        if (RunningBatch is not { } running || running.Id != batchId)
        {
            var runningText = RunningBatch is null ? "no batch is running" : $"batch {RunningBatch.Id} is running";
            throw new InvalidOperationException(
                $"Batch {batchId} is not the running batch ({runningText}); "
                + "pass the id from the step that started it.");
        }

        RunningBatch = null;
        return running;
    }
}
