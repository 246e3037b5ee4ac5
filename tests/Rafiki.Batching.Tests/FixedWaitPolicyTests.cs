using Rafiki.Batching.Policies;

namespace Rafiki.Batching.Tests;

public class FixedWaitPolicyTests
{
    private static readonly BatchingOptions Options = new(TauMs: 50, MaxBatchSize: 8) { MaxQueueDelayMs = 5 };

    private static FixedWaitPolicy CreatePolicy(BatchingOptions? options = null) =>
        new(options ?? Options, TestModels.Linear(2, 0.25, 8));

    [Fact]
    public void Fixed_wait_waits_for_max_delay()
    {
        var decision = CreatePolicy().Decide(TestModels.Queue(12, 10, 11));

        Assert.Equal(0, decision.BatchSize);
        Assert.Equal(15, decision.WakeAtMs);
    }

    [Fact]
    public void Fixed_wait_runs_at_max_delay()
    {
        var decision = CreatePolicy().Decide(TestModels.Queue(15, 10, 11, 14));

        Assert.Equal(3, decision.BatchSize);
        Assert.Null(decision.WakeAtMs);
    }

    [Fact]
    public void Fixed_wait_never_exceeds_max_delay()
    {
        // Whatever the arrivals, a wake-up is never later than the oldest arrival plus the delay.
        var policy = CreatePolicy();
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var arrivals = Enumerable.Range(0, random.Next(1, 8))
                .Select(_ => random.NextDouble() * 20)
                .Order()
                .ToArray();
            var nowMs = arrivals[^1] + (random.NextDouble() * 10);

            var decision = policy.Decide(new QueueSnapshot(nowMs, arrivals));

            if (decision.RunsBatch)
            {
                Assert.True(nowMs >= arrivals[0] + 5, $"ran at {nowMs} ms, before {arrivals[0] + 5} ms");
            }
            else
            {
                Assert.Equal(arrivals[0] + 5, decision.WakeAtMs);
            }
        }
    }

    [Fact]
    public void Fixed_wait_runs_bmax_without_waiting()
    {
        var decision = CreatePolicy().Decide(TestModels.Queue(10, 9, 9, 9, 9, 9, 9, 9, 9, 9, 10));

        Assert.Equal(8, decision.BatchSize);
    }

    [Fact]
    public void Zero_delay_runs_at_once()
    {
        var policy = CreatePolicy(Options with { MaxQueueDelayMs = 0 });

        var decision = policy.Decide(TestModels.Queue(10, 10));

        Assert.Equal(1, decision.BatchSize);
    }
}
