using Rafiki.Tuning.EarlyStopping;

namespace Rafiki.Tuning.Tests;

public class MedianStoppingRuleTests
{
    private static readonly EarlyStoppingOptions Options = new() { WarmupEpochs = 1, MinTrials = 3 };

    private static TrialCurve Curve(string id, params double[] scores) => new(id, scores, Finished: false);

    private static readonly TrialCurve[] Others =
    [
        new("a", [0.5, 0.6, 0.7], Finished: true),
        new("b", [0.4, 0.5, 0.6], Finished: true),
        new("c", [0.3, 0.4, 0.5], Finished: false),
        new("d", [0.6], Finished: true),
    ];

    [Fact]
    public void Median_prunes_trial_below_median()
    {
        var rule = new MedianStoppingRule(Options);
        var trial = Curve("t", 0.1, 0.45);

        var decision = rule.Decide(trial, [.. Others, trial]);

        Assert.Equal(EarlyStoppingDecision.Prune, decision);
    }

    [Fact]
    public void Median_keeps_trial_at_median()
    {
        var rule = new MedianStoppingRule(Options);
        var trial = Curve("t", 0.1, 0.5);

        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(trial, Others));
    }

    [Fact]
    public void Median_uses_best_score_so_far()
    {
        var rule = new MedianStoppingRule(Options);

        // Epoch 3 median of a, b, c is 0.6, and the trial dipped to 0.2 but reached 0.65 at epoch 2.
        var trial = Curve("t", 0.3, 0.65, 0.2);

        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(trial, Others));
    }

    [Fact]
    public void Median_waits_for_warmup_epochs()
    {
        var rule = new MedianStoppingRule(Options with { WarmupEpochs = 2 });
        var trial = Curve("t", 0.0, 0.0);

        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(trial, Others));
        Assert.Equal(EarlyStoppingDecision.Prune, rule.Decide(Curve("t", 0.0, 0.0, 0.0), Others));
    }

    [Fact]
    public void Median_waits_for_minimum_trials()
    {
        var rule = new MedianStoppingRule(Options with { MinTrials = 4 });

        // Only a, b and c reached epoch 2.
        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(Curve("t", 0.0, 0.0), Others));
        Assert.Equal(EarlyStoppingDecision.Prune, new MedianStoppingRule(Options).Decide(Curve("t", 0.0, 0.0), Others));
    }

    [Fact]
    public void Median_ignores_own_curve_in_study()
    {
        var rule = new MedianStoppingRule(Options with { MinTrials = 4 });
        var trial = Curve("t", 0.0, 0.0);

        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(trial, [.. Others, trial]));
    }

    [Fact]
    public void Median_prunes_diverged_trial()
    {
        var rule = new MedianStoppingRule(Options);

        Assert.Equal(EarlyStoppingDecision.Prune, rule.Decide(Curve("t", double.NaN, double.NaN), Others));
    }

    [Fact]
    public void Median_leaves_finished_trial_alone()
    {
        var rule = new MedianStoppingRule(Options);

        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(new TrialCurve("t", [0.0, 0.0], Finished: true), Others));
    }

    [Fact]
    public void Median_rejects_invalid_options()
    {
        var error = Assert.Throws<ArgumentException>(() => new MedianStoppingRule(Options with { MinTrials = 0 }));

        Assert.Contains("early-stopping option MinTrials = 0 is invalid; use 1 or more", error.Message, StringComparison.Ordinal);
    }
}
