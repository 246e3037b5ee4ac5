using Rafiki.Batching.Policies;

namespace Rafiki.Batching.Tests;

/// <summary>AIMD with tau = 50 ms and Bmax = 8; a batch latency above 50 ms is a violation.</summary>
public class AimdPolicyTests
{
    private static readonly BatchingOptions Options = new(TauMs: 50, MaxBatchSize: 8);

    private static AimdPolicy CreatePolicy(BatchingOptions? options = null) =>
        new(options ?? Options, TestModels.Linear(2, 0.25, 8));

    private static BatchFeedback Met(int size) => new(size, LatencyMs: 50, LateCount: 0, CompletedAtMs: 0);

    private static BatchFeedback Violated(int size) => new(size, LatencyMs: 50.5, LateCount: size, CompletedAtMs: 0);

    [Fact]
    public void Aimd_starts_at_initial_cap()
    {
        var policy = CreatePolicy(Options with { AimdInitialBatchSize = 3 });

        var decision = policy.Decide(TestModels.Queue(1, 0, 0, 0, 0, 0));

        Assert.Equal(3, policy.BatchSizeCap);
        Assert.Equal(3, decision.BatchSize);
    }

    [Fact]
    public void Aimd_increases_on_success()
    {
        var policy = CreatePolicy();

        policy.OnBatchCompleted(Met(1));
        var afterOne = policy.BatchSizeCap;
        policy.OnBatchCompleted(Met(2));

        Assert.Equal(2, afterOne);
        Assert.Equal(3, policy.BatchSizeCap);
    }

    [Fact]
    public void Aimd_increase_uses_configured_step()
    {
        var policy = CreatePolicy(Options with { AimdIncrease = 3 });

        policy.OnBatchCompleted(Met(1));

        Assert.Equal(4, policy.BatchSizeCap);
    }

    [Fact]
    public void Aimd_halves_on_violation()
    {
        var policy = CreatePolicy(Options with { AimdInitialBatchSize = 8 });

        policy.OnBatchCompleted(Violated(8));
        var afterFirst = policy.BatchSizeCap;
        policy.OnBatchCompleted(Violated(4));

        Assert.Equal(4, afterFirst);
        Assert.Equal(2, policy.BatchSizeCap);
    }

    [Fact]
    public void Aimd_rounds_odd_cap_down()
    {
        var policy = CreatePolicy(Options with { AimdInitialBatchSize = 5 });

        policy.OnBatchCompleted(Violated(5));

        Assert.Equal(2, policy.BatchSizeCap);
    }

    [Fact]
    public void Aimd_cap_stays_within_bounds()
    {
        var policy = CreatePolicy();
        for (var i = 0; i < 20; i++)
        {
            policy.OnBatchCompleted(Met(policy.BatchSizeCap));
        }

        var highest = policy.BatchSizeCap;
        for (var i = 0; i < 20; i++)
        {
            policy.OnBatchCompleted(Violated(policy.BatchSizeCap));
        }

        Assert.Equal(8, highest);
        Assert.Equal(1, policy.BatchSizeCap);
    }

    [Fact]
    public void Aimd_judges_batch_latency_only()
    {
        // Requests that were late because they queued do not count against the cap.
        var policy = CreatePolicy();

        policy.OnBatchCompleted(new BatchFeedback(1, LatencyMs: 10, LateCount: 1, CompletedAtMs: 0));

        Assert.Equal(2, policy.BatchSizeCap);
    }

    [Fact]
    public void Aimd_runs_up_to_cap_without_waiting()
    {
        var policy = CreatePolicy(Options with { AimdInitialBatchSize = 4 });

        var few = policy.Decide(TestModels.Queue(1, 0, 0.5));
        var many = policy.Decide(TestModels.Queue(1, 0, 0, 0, 0, 0, 0.5));

        Assert.Equal(2, few.BatchSize);
        Assert.Equal(4, many.BatchSize);
    }
}
