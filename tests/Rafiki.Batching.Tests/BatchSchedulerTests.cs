using Rafiki.Batching.Latency;
using Rafiki.Batching.Policies;
using Rafiki.Batching.Queueing;

namespace Rafiki.Batching.Tests;

/// <summary>Scheduler with c(b) = 2 ms + 0.25 ms * b, tau = 50 ms, Bmax = 4 and a 1 ms margin.</summary>
public class BatchSchedulerTests
{
    private static readonly BatchingOptions Options = new(TauMs: 50, MaxBatchSize: 4) { MarginMs = 1 };

    private static BatchScheduler<string> Create(
        string policy = BatchingPolicies.Greedy, BatchingOptions? options = null) =>
        new(policy, options ?? Options, TestModels.Linear(2, 0.25, 4, new BatchLatencyModelOptions(MinSamples: 1)));

    [Fact]
    public void Deferred_request_runs_after_in_time_batch()
    {
        // At 48.75 request 0 and 1 are overdue. Greedy runs 1, 2.5 and 10 (see the greedy deferral tests in
        // OverdueTests) and keeps 0 queued, then runs 0 alone once the model is free.
        var options = new BatchingOptions(TauMs: 50, MaxBatchSize: 8) { MarginMs = 1 };
        var scheduler = new BatchScheduler<string>(
            BatchingPolicies.Greedy, options, TestModels.Linear(2, 0.25, 8));
        foreach (var (request, arrivalMs) in new[] { ("a", 0.0), ("b", 1.0), ("c", 2.5), ("d", 10.0) })
        {
            scheduler.Enqueue(request, arrivalMs);
        }

        var first = scheduler.Poll(48.75).Batch!;
        var completed = scheduler.Complete(first.Id, 51.5);
        var second = scheduler.Poll(51.5).Batch!;
        scheduler.Complete(second.Id, 53.75);

        Assert.Equal(["b", "c", "d"], first.Requests.Select(request => request.Request));
        Assert.Equal(
            [RequestOutcome.OverdueServedLate, RequestOutcome.Answered, RequestOutcome.Answered],
            completed.Requests.Select(request => request.Outcome));
        Assert.Equal(["a"], second.Requests.Select(request => request.Request));
        Assert.Equal(0, scheduler.QueueLength);
        Assert.Equal(2, scheduler.Counts.OverdueServedLate);
        Assert.Equal(2, scheduler.Counts.Answered);
    }

    [Fact]
    public void Deferred_in_time_request_stays_queued()
    {
        // At 47.5 ms nothing is overdue (c(1) = 2.25 ms), but a batch of B = 4 ends at 50.5 ms, after the 50 ms
        // deadline of request a. Greedy runs b to e, the four after it, and a stays queued.
        var scheduler = Create();
        foreach (var (request, arrivalMs) in new[] { ("a", 0.0), ("b", 1.0), ("c", 2.0), ("d", 5.0), ("e", 6.0), ("f", 7.0) })
        {
            scheduler.Enqueue(request, arrivalMs);
        }

        var step = scheduler.Poll(47.5);

        Assert.Equal(["b", "c", "d", "e"], step.Batch!.Requests.Select(request => request.Request));
        Assert.Empty(step.Rejected);
        Assert.Equal(1, step.OverdueCount);
        Assert.Equal(["a", "f"], scheduler.WaitingRequests().Select(request => request.Request));
    }

    [Fact]
    public void Scheduler_runs_one_batch_at_a_time()
    {
        var scheduler = Create(BatchingPolicies.None);
        scheduler.Enqueue("a", 0);
        var first = scheduler.Poll(0);
        scheduler.Enqueue("b", 1);

        var whileBusy = scheduler.Poll(1);

        Assert.NotNull(first.Batch);
        Assert.True(scheduler.IsBusy);
        Assert.Null(whileBusy.Batch);
        Assert.Equal(1, scheduler.QueueLength);
    }

    [Fact]
    public void Completion_frees_model_for_next_batch()
    {
        var scheduler = Create(BatchingPolicies.None);
        scheduler.Enqueue("a", 0);
        var first = scheduler.Poll(0).Batch!;
        scheduler.Enqueue("b", 1);

        var completed = scheduler.Complete(first.Id, 3);
        var next = scheduler.Poll(3);

        Assert.Equal("a", completed.Requests.Single().Request.Request);
        Assert.Equal(RequestOutcome.Answered, completed.Requests.Single().Outcome);
        Assert.Equal("b", next.Batch!.Requests.Single().Request);
    }

    [Fact]
    public void Completion_feeds_latency_model_and_policy()
    {
        var scheduler = Create(BatchingPolicies.Aimd);
        scheduler.Enqueue("a", 0);
        var batch = scheduler.Poll(0).Batch!;

        var completed = scheduler.Complete(batch.Id, 7);

        Assert.Equal(new BatchFeedback(1, 7, 0, 7), completed.Feedback);
        Assert.Equal(1, scheduler.LatencyModel.ObservationCount(1));
        Assert.Equal(7, scheduler.LatencyModel.EstimateMs(1));
        Assert.Equal(2, ((AimdPolicy)scheduler.Policy).BatchSizeCap);
    }

    [Fact]
    public void Feedback_counts_misses_in_time_at_start()
    {
        // At 48 ms request a is overdue: a batch of one, c(1) = 2.25 ms, would end after its 50 ms deadline. Request
        // b, due at 90 ms, was in time, so only b counts as a miss when the batch ends at 95 ms.
        var scheduler = Create(BatchingPolicies.FixedWait);
        scheduler.Enqueue("a", 0);
        scheduler.Enqueue("b", 40);
        var batch = scheduler.Poll(48).Batch!;

        var feedback = scheduler.Complete(batch.Id, 95).Feedback;

        Assert.Equal(2, batch.Size);
        Assert.Equal(2, feedback.LateCount);
        Assert.Equal(1, feedback.MissedCount);
        Assert.Equal(5, feedback.MissedByMs);
    }

    [Fact]
    public void Greedy_scheduler_waits_then_runs()
    {
        // Two queued: c(3) = 2.75 ms, so greedy waits until 0 + 50 - 1 - 2.75 = 46.25 ms.
        var scheduler = Create();
        scheduler.Enqueue("a", 0);
        scheduler.Poll(0);
        scheduler.Enqueue("b", 5);

        var waiting = scheduler.Poll(5);
        var woken = scheduler.Poll(waiting.WakeAtMs!.Value);

        Assert.Null(waiting.Batch);
        Assert.Equal(46.25, waiting.WakeAtMs);
        Assert.Equal(["a", "b"], woken.Batch!.Requests.Select(request => request.Request));
    }

    [Fact]
    public void Reject_while_busy_answers_overdue_at_once()
    {
        // c(1) = 2.25 ms, so "b" (arrived at 1) is overdue from 48.75 ms and "c" (arrived at 30) from 77.75 ms.
        var scheduler = Create(BatchingPolicies.None, Options with { OverdueAction = OverdueAction.Reject });
        scheduler.Enqueue("a", 0);
        scheduler.Poll(0);
        scheduler.Enqueue("b", 1);
        var beforeOverdue = scheduler.Poll(1);
        scheduler.Enqueue("c", 30);

        var atOverdue = scheduler.Poll(48.75);

        Assert.Equal(48.75, beforeOverdue.WakeAtMs);
        Assert.Equal(["b"], atOverdue.Rejected.Select(request => request.Request.Request));
        Assert.Equal(RequestOutcome.OverdueRejected, atOverdue.Rejected.Single().Outcome);
        Assert.Equal(77.75, atOverdue.WakeAtMs);
        Assert.True(scheduler.IsBusy);
    }

    [Fact]
    public void Serve_late_while_busy_rejects_expired()
    {
        // The default maximum lateness is 10 x tau = 500 ms and c(1) = 2.25 ms, so "b" (arrived at 1) expires at
        // 1 + 50 + 500 - 2.25 = 548.75 ms and "c" (arrived at 30) at 577.75 ms.
        var scheduler = Create(BatchingPolicies.None);
        scheduler.Enqueue("a", 0);
        scheduler.Poll(0);
        scheduler.Enqueue("b", 1);
        var beforeExpiry = scheduler.Poll(1);
        scheduler.Enqueue("c", 30);
        var justBefore = scheduler.Poll(548.74);

        var atExpiry = scheduler.Poll(548.75);

        Assert.Equal(548.75, beforeExpiry.WakeAtMs);
        Assert.Empty(justBefore.Rejected);
        Assert.Equal(2, justBefore.OverdueCount);
        Assert.Equal(["b"], atExpiry.Rejected.Select(request => request.Request.Request));
        Assert.Equal(RequestOutcome.OverdueRejected, atExpiry.Rejected.Single().Outcome);
        Assert.Equal(577.75, atExpiry.WakeAtMs);
        Assert.True(scheduler.IsBusy);
        Assert.Equal(1, scheduler.Counts.OverdueRejected);
    }

    [Fact]
    public void Serve_late_runs_overdue_after_busy()
    {
        var scheduler = Create(BatchingPolicies.None);
        scheduler.Enqueue("a", 0);
        var first = scheduler.Poll(0).Batch!;
        scheduler.Enqueue("b", 1);
        scheduler.Complete(first.Id, 60);

        var step = scheduler.Poll(60);
        var late = scheduler.Complete(step.Batch!.Id, 63);

        Assert.Equal(1, step.OverdueCount);
        Assert.Empty(step.Rejected);
        Assert.Equal(RequestOutcome.OverdueServedLate, late.Requests.Single().Outcome);
        Assert.Equal(2, scheduler.Counts.OverdueServedLate);
    }

    [Fact]
    public void Failed_batch_is_not_observed()
    {
        var scheduler = Create(BatchingPolicies.None);
        scheduler.Enqueue("a", 0);
        var batch = scheduler.Poll(0).Batch!;

        var failed = scheduler.Fail(batch.Id, 5);

        Assert.Equal(RequestOutcome.Failed, failed.Single().Outcome);
        Assert.False(scheduler.IsBusy);
        Assert.Equal(0, scheduler.LatencyModel.ObservationCount(1));
        Assert.Equal(1, scheduler.Counts.Failed);
    }

    [Fact]
    public void Completing_wrong_batch_throws()
    {
        var scheduler = Create(BatchingPolicies.None);
        scheduler.Enqueue("a", 0);
        var batch = scheduler.Poll(0).Batch!;

        var error = Assert.Throws<InvalidOperationException>(() => scheduler.Complete(batch.Id + 1, 5));

        Assert.Contains($"Batch {batch.Id + 1} is not the running batch (batch {batch.Id} is running)", error.Message,
            StringComparison.Ordinal);
        Assert.True(scheduler.IsBusy);
    }

    [Fact]
    public void Full_scheduler_queue_rejects_request()
    {
        var scheduler = Create(options: Options with { QueueCapacity = 1 });

        var first = scheduler.Enqueue("a", 0);
        var second = scheduler.Enqueue("b", 0);

        Assert.Equal(EnqueueResult.Accepted, first);
        Assert.Equal(EnqueueResult.RejectedQueueFull, second);
    }
}
