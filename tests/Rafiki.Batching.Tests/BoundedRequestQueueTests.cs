using Rafiki.Batching.Queueing;

namespace Rafiki.Batching.Tests;

public class BoundedRequestQueueTests
{
    [Fact]
    public void Full_queue_rejects_without_blocking()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 2, tauMs: 50);

        var first = queue.TryEnqueue("a", 0);
        var second = queue.TryEnqueue("b", 1);
        var third = queue.TryEnqueue("c", 2);

        Assert.Equal(EnqueueResult.Accepted, first);
        Assert.Equal(EnqueueResult.Accepted, second);
        Assert.Equal(EnqueueResult.RejectedQueueFull, third);
        Assert.Equal(2, queue.Count);
        Assert.Equal(1, queue.Counts.RejectedQueueFull);
        Assert.Equal(2, queue.Counts.Accepted);
    }

    [Fact]
    public void Batch_after_skipped_requests_keeps_them_in_order()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        queue.TryEnqueue("a", 0);
        queue.TryEnqueue("b", 1);
        queue.TryEnqueue("c", 2);
        queue.StartBatch(1, 2);
        queue.TryEnqueue("d", 3);
        queue.TryEnqueue("e", 4);

        var batch = queue.StartBatch(2, 5, skip: 1);
        queue.TryEnqueue("f", 6);
        queue.TryEnqueue("g", 7);

        Assert.Equal(["c", "d"], batch.Requests.Select(request => request.Request));
        Assert.Equal(["b", "e", "f", "g"], queue.WaitingRequests().Select(request => request.Request));
        Assert.Equal([1.0, 4, 6, 7], queue.ArrivalTimes);
        Assert.Equal(EnqueueResult.RejectedQueueFull, queue.TryEnqueue("h", 8));
    }

    [Fact]
    public void Batch_past_waiting_requests_is_rejected()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        queue.TryEnqueue("a", 0);
        queue.TryEnqueue("b", 1);

        var error = Assert.Throws<InvalidOperationException>(() => queue.StartBatch(2, 2, skip: 1));

        Assert.Contains("after 1 skipped requests", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void Started_batch_frees_queue_slots()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 2, tauMs: 50);
        queue.TryEnqueue("a", 0);
        queue.TryEnqueue("b", 1);

        queue.StartBatch(2, 2);
        var result = queue.TryEnqueue("c", 3);

        Assert.Equal(EnqueueResult.Accepted, result);
        Assert.Equal(2, queue.InFlightCount);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Waiting_requests_wrap_around_ring()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 3, tauMs: 50);
        queue.TryEnqueue("a", 0);
        queue.TryEnqueue("b", 1);
        queue.StartBatch(2, 2);
        queue.TryEnqueue("c", 3);
        queue.TryEnqueue("d", 4);
        queue.TryEnqueue("e", 5);

        var waiting = queue.WaitingRequests();

        Assert.Equal(["c", "d", "e"], waiting.Select(request => request.Request));
        Assert.Equal(3, queue.Count);
        Assert.Equal(2, queue.InFlightCount);
    }

    [Fact]
    public void Batch_takes_oldest_in_order()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        foreach (var (name, arrivalMs) in new[] { ("a", 0.0), ("b", 1.0), ("c", 2.0) })
        {
            queue.TryEnqueue(name, arrivalMs);
        }

        var batch = queue.StartBatch(2, 5);

        Assert.Equal(["a", "b"], batch.Requests.Select(request => request.Request));
        Assert.Equal([0L, 1L], batch.Requests.Select(request => request.Sequence));
        Assert.Equal([2.0], queue.ArrivalTimes);
    }

    [Fact]
    public void Completion_separates_answered_from_late()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        queue.TryEnqueue("old", 0);
        queue.TryEnqueue("new", 10);
        var batch = queue.StartBatch(2, 40);

        var finished = queue.CompleteBatch(batch.Id, 55);

        Assert.Equal(RequestOutcome.OverdueServedLate, finished[0].Outcome);
        Assert.Equal(RequestOutcome.Answered, finished[1].Outcome);
        Assert.Equal(55, finished[0].LatencyMs);
        Assert.Equal(45, finished[1].LatencyMs);
    }

    [Fact]
    public void Answer_exactly_at_tau_is_in_time()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        queue.TryEnqueue("a", 0);
        var batch = queue.StartBatch(1, 10);

        var finished = queue.CompleteBatch(batch.Id, 50);

        Assert.Equal(RequestOutcome.Answered, finished[0].Outcome);
    }

    [Fact]
    public void Overdue_rejection_ends_oldest_requests()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        queue.TryEnqueue("a", 0);
        queue.TryEnqueue("b", 1);
        queue.TryEnqueue("c", 2);

        var rejected = queue.RejectOverdue(2, 60);

        Assert.Equal(["a", "b"], rejected.Select(request => request.Request.Request));
        Assert.All(rejected, request => Assert.Equal(RequestOutcome.OverdueRejected, request.Outcome));
        Assert.Equal(2, queue.Counts.OverdueRejected);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Second_completion_of_batch_throws()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        queue.TryEnqueue("a", 0);
        var batch = queue.StartBatch(1, 1);
        queue.CompleteBatch(batch.Id, 2);

        var error = Assert.Throws<InvalidOperationException>(() => queue.FailBatch(batch.Id, 3));

        Assert.Contains("Batch 0 is not in flight", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, queue.Counts.Answered);
        Assert.Equal(0, queue.Counts.Failed);
    }

    [Fact]
    public void Removing_more_than_queued_throws()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        queue.TryEnqueue("a", 0);

        var error = Assert.Throws<InvalidOperationException>(() => queue.StartBatch(2, 1));

        Assert.Contains("Cannot remove 2 requests because only 1 are waiting", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void Arrival_before_previous_is_rejected()
    {
        var queue = new BoundedRequestQueue<string>(capacity: 4, tauMs: 50);
        queue.TryEnqueue("a", 10);

        var error = Assert.Throws<ArgumentException>(() => queue.TryEnqueue("b", 9));

        Assert.Contains("Arrival time 9 ms is invalid", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, queue.Count);
    }

    [Theory]
    [InlineData(0, 50, "Queue capacity 0 is invalid")]
    [InlineData(4, 0, "Latency target 0 ms is invalid")]
    public void Invalid_queue_settings_are_rejected(int capacity, double tauMs, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new BoundedRequestQueue<string>(capacity, tauMs));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_accepted_request_ends_once()
    {
        // Random operations in random order; every accepted request must end with exactly one outcome.
        var random = new Random(11);
        var queue = new BoundedRequestQueue<int>(capacity: 8, tauMs: 20);
        var outcomes = new Dictionary<int, RequestOutcome>();
        var accepted = new HashSet<int>();
        var running = new List<long>();
        var nowMs = 0.0;
        for (var step = 0; step < 5000; step++)
        {
            nowMs += random.NextDouble() * 3;
            var operation = random.Next(5);
            if (operation <= 1)
            {
                if (queue.TryEnqueue(step, nowMs) == EnqueueResult.Accepted)
                {
                    accepted.Add(step);
                }
            }
            else if (operation == 2 && queue.Count > 0)
            {
                running.Add(queue.StartBatch(random.Next(1, queue.Count + 1), nowMs).Id);
            }
            else if (operation == 3 && queue.Count > 0)
            {
                Record(queue.RejectOverdue(random.Next(1, queue.Count + 1), nowMs));
            }
            else if (running.Count > 0)
            {
                var batchId = running[random.Next(running.Count)];
                running.Remove(batchId);
                Record(random.Next(10) == 0 ? queue.FailBatch(batchId, nowMs) : queue.CompleteBatch(batchId, nowMs));
            }
        }

        foreach (var batchId in running)
        {
            Record(queue.CompleteBatch(batchId, nowMs));
        }

        Record(queue.RejectOverdue(queue.Count, nowMs));

        var counts = queue.Counts;
        Assert.Equal(accepted.Count, counts.Accepted);
        Assert.Equal(accepted.Order(), outcomes.Keys.Order());
        Assert.Equal(counts.Accepted, counts.Finished);
        Assert.Equal(0, counts.Queued);
        Assert.Equal(0, counts.InFlight);
        Assert.Equal(counts.Answered, outcomes.Values.Count(outcome => outcome == RequestOutcome.Answered));
        Assert.Equal(counts.Failed, outcomes.Values.Count(outcome => outcome == RequestOutcome.Failed));
        Assert.True(counts.RejectedQueueFull > 0, "the run never filled the queue");
        Assert.True(counts.OverdueServedLate > 0, "the run never served a request late");

        void Record(IEnumerable<FinishedRequest<int>> finished)
        {
            foreach (var request in finished)
            {
                // Add throws if a request ends a second time.
                outcomes.Add(request.Request.Request, request.Outcome);
            }
        }
    }

    [Fact]
    public void Counts_add_up_at_every_step()
    {
        var queue = new BoundedRequestQueue<int>(capacity: 3, tauMs: 10);
        for (var i = 0; i < 4; i++)
        {
            queue.TryEnqueue(i, i);
        }

        var batch = queue.StartBatch(2, 4);
        var midway = queue.Counts;
        queue.CompleteBatch(batch.Id, 11);
        queue.RejectOverdue(1, 15);
        var end = queue.Counts;

        Assert.Equal(midway.Accepted, midway.Queued + midway.InFlight + midway.Finished);
        Assert.Equal(new OutcomeCounts(3, 1, 0, 0, 1, 1, 1, 0), end);
        Assert.Equal(4, end.Offered);
    }
}
