using Rafiki.Batching.Policies;

namespace Rafiki.Batching.Tests;

public class NoBatchingPolicyTests
{
    private static readonly NoBatchingPolicy Policy = new(new BatchingOptions(50, 8), TestModels.Linear(2, 0.25, 8));

    [Fact]
    public void None_runs_one_request_at_once()
    {
        var decision = Policy.Decide(TestModels.Queue(3, 1, 2, 3));

        Assert.Equal(1, decision.BatchSize);
        Assert.Null(decision.WakeAtMs);
    }

    [Fact]
    public void None_waits_for_arrival_when_empty()
    {
        var decision = Policy.Decide(TestModels.Queue(3));

        Assert.False(decision.RunsBatch);
        Assert.Null(decision.WakeAtMs);
    }
}
