using Rafiki.Batching.Latency;

namespace Rafiki.Batching.Tests;

public class BatchingOptionsTests
{
    private static readonly BatchLatencyModel Model = TestModels.Linear(2, 0.25, 8);

    public static TheoryData<BatchingOptions, string> InvalidOptions => new()
    {
        { new BatchingOptions(0, 8), "TauMs is 0, which is invalid; set it to the latency target in milliseconds" },
        { new BatchingOptions(-5, 8), "TauMs is -5, which is invalid" },
        { new BatchingOptions(double.NaN, 8), "TauMs is NaN, which is invalid" },
        { new BatchingOptions(double.PositiveInfinity, 8), "TauMs is Infinity, which is invalid" },
        { new BatchingOptions(50, 0), "MaxBatchSize is 0, which is invalid; set it to the largest batch" },
        { new BatchingOptions(50, 8) { MarginMs = -1 }, "MarginMs is -1, which is invalid" },
        { new BatchingOptions(50, 8) { MarginMs = 50 }, "MarginMs is 50 but TauMs is 50" },
        { new BatchingOptions(50, 8) { QueueCapacity = 0 }, "QueueCapacity is 0, which is invalid" },
        { new BatchingOptions(50, 8) { MaxQueueDelayMs = -2 }, "MaxQueueDelayMs is -2, which is invalid" },
        { new BatchingOptions(50, 8) { AimdInitialBatchSize = 9 }, "AimdInitialBatchSize is 9 but MaxBatchSize is 8" },
        { new BatchingOptions(50, 8) { AimdIncrease = 0 }, "AimdIncrease is 0, which is invalid" },
        { new BatchingOptions(50, 8) { AimdDecreaseFactor = 1 }, "AimdDecreaseFactor is 1; use a factor between 0" },
        { new BatchingOptions(50, 8) { AimdDecreaseFactor = 0 }, "AimdDecreaseFactor is 0; use a factor between 0" },
        { new BatchingOptions(50, 8) { OverdueAction = (OverdueAction)7 }, "OverdueAction is 7, which is not defined" },
        { new BatchingOptions(50, 8) { MaxLateMs = 0 }, "MaxLateMs is 0, which is invalid; set it to the maximum time" },
        { new BatchingOptions(50, 8) { MaxLateMs = -3 }, "MaxLateMs is -3, which is invalid" },
        { new BatchingOptions(50, 8) { MaxLateMs = double.NaN }, "MaxLateMs is NaN, which is invalid" },
        { new BatchingOptions(50, 8) { MaxLateMs = double.PositiveInfinity }, "MaxLateMs is Infinity, which is" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_setting_names_value_and_fix(BatchingOptions options, string expected)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Factory_rejects_invalid_settings(BatchingOptions options, string expected)
    {
        foreach (var name in BatchingPolicies.All)
        {
            var error = Assert.Throws<ArgumentException>(() => BatchingPolicies.Create(name, options, Model));

            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Default_settings_are_valid()
    {
        var options = new BatchingOptions(50, 8);

        options.Validate();

        Assert.Equal(OverdueAction.ServeLate, options.OverdueAction);
        Assert.Equal(0, options.MarginMs);
        Assert.Null(options.MaxLateMs);
    }

    [Fact]
    public void Max_lateness_defaults_to_ten_tau()
    {
        var options = new BatchingOptions(TauMs: 50, 8);

        Assert.Equal(500, options.LateLimitMs);
        Assert.Equal(20, (options with { MaxLateMs = 20 }).LateLimitMs);
        Assert.Equal(1000, (options with { TauMs = 100 }).LateLimitMs);
        Assert.Equal(BatchingOptions.DefaultLateLimitCapMs, (options with { TauMs = 400_000 }).LateLimitMs);
        Assert.Equal(4_000_000, (options with { TauMs = 400_000, MaxLateMs = 4_000_000 }).LateLimitMs);
    }

    [Fact]
    public void Factory_creates_every_known_policy()
    {
        var options = new BatchingOptions(50, 8);

        foreach (var name in BatchingPolicies.All)
        {
            var policy = BatchingPolicies.Create(name, options, Model);

            Assert.Equal(name, policy.Name);
            Assert.Same(options, policy.Options);
        }
    }

    [Fact]
    public void Unknown_policy_name_lists_known_names()
    {
        var error = Assert.Throws<ArgumentException>(
            () => BatchingPolicies.Create("lifo", new BatchingOptions(50, 8), Model));

        Assert.Contains(
            "Batching policy 'lifo' is unknown; use one of greedy, none, fixed-wait, aimd.",
            error.Message,
            StringComparison.Ordinal);
    }
}
