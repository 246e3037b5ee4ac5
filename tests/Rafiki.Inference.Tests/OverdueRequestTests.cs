using Rafiki.Batching;

namespace Rafiki.Inference.Tests;

/// <summary>
/// Jobs with a latency target of 1 microsecond, far below any batch latency, so every request is overdue the moment
/// it arrives and the overdue action alone decides its answer. With serve-late the maximum lateness decides too, and
/// its default of 10 x tau, 10 microseconds, would make every request expire at once, so each test sets it.
/// </summary>
public sealed class OverdueRequestTests : InferenceTestKit
{
    private const double UnreachableTauMs = 0.001;

    [Fact]
    public async Task Reject_action_answers_overdue_at_once()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(
            TauMs: UnreachableTauMs, MarginMs: 0, OverdueAction: OverdueAction.Reject));

        SendImages(jobs, 30);
        var answers = ReceiveAnswers(30);
        var status = await StatusAsync(jobs);

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Overdue, answer.Status));
        Assert.All(answers, answer => Assert.Empty(answer.Probabilities));
        Assert.All(answers, answer => Assert.Contains("could no longer be answered within the 0.001 ms latency target", answer.Error, StringComparison.Ordinal));
        Assert.Equal(30, status.Overdue);
        Assert.Equal(0, status.Answered);
        Assert.Empty(status.BatchSizeCounts);
    }

    [Fact]
    public async Task Serve_late_action_answers_late_with_result()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(
            TauMs: UnreachableTauMs, MarginMs: 0, OverdueAction: OverdueAction.ServeLate, MaxLateMs: 60_000));

        SendImages(jobs, 30);
        var answers = ReceiveAnswers(30);
        var status = await StatusAsync(jobs);

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Ok, answer.Status));
        Assert.All(answers, answer => Assert.True(answer.Late, $"answer to {answer.RequestId} is not marked late"));
        Assert.All(answers, answer => Assert.Equal(10, answer.Probabilities.Length));
        Assert.Equal(30, status.Answered);
        Assert.Equal(30, status.ServedLate);
        Assert.Equal(0, status.Overdue);
    }

    [Fact]
    public async Task Serve_late_past_max_lateness_answers_overdue()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(
            TauMs: UnreachableTauMs, MarginMs: 0, OverdueAction: OverdueAction.ServeLate, MaxLateMs: 0.002));

        SendImages(jobs, 30);
        var answers = ReceiveAnswers(30);
        var status = await StatusAsync(jobs);

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Overdue, answer.Status));
        Assert.All(answers, answer => Assert.Empty(answer.Probabilities));
        Assert.All(answers, answer => Assert.Contains(
            "would have come 0.002 ms (maxLateMs) or more after the 0.001 ms latency target", answer.Error, StringComparison.Ordinal));
        Assert.Equal(30, status.Overdue);
        Assert.Equal(0, status.Answered);
        Assert.Empty(status.BatchSizeCounts);
    }

    [Fact]
    public async Task Reachable_target_answers_in_time()
    {
        // Fixed-wait runs the requests within milliseconds; greedy would wait until just before the 10 s target.
        var jobs = await DeployAsync(new InferenceJobSettings(Policy: BatchingPolicies.FixedWait, TauMs: 10_000));

        SendImages(jobs, 30);
        var answers = ReceiveAnswers(30);

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Ok, answer.Status));
        Assert.All(answers, answer => Assert.False(answer.Late, $"answer to {answer.RequestId} is marked late"));
    }
}
