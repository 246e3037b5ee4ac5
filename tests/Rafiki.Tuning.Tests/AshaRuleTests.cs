using Rafiki.Tuning.EarlyStopping;

namespace Rafiki.Tuning.Tests;

public class AshaRuleTests
{
    private static readonly EarlyStoppingOptions Options = new() { MinEpochs = 1, ReductionFactor = 3 };

    private static TrialCurve Curve(string id, params double[] scores) => new(id, scores, Finished: false);

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(6, false)]
    [InlineData(9, true)]
    [InlineData(27, true)]
    public void Asha_rungs_follow_reduction_factor(int epoch, bool expected)
    {
        Assert.Equal(expected, new AshaRule(Options).IsRung(epoch));
    }

    [Fact]
    public void Asha_rungs_start_at_min_epochs()
    {
        var rule = new AshaRule(Options with { MinEpochs = 2, ReductionFactor = 2 });

        Assert.Equal([2, 4, 8, 16], Enumerable.Range(1, 16).Where(rule.IsRung));
    }

    [Fact]
    public void Asha_first_trial_at_rung_continues()
    {
        var rule = new AshaRule(Options);

        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(Curve("t", 0.1), []));
    }

    [Fact]
    public void Asha_below_eta_trials_keeps_best()
    {
        var rule = new AshaRule(Options);
        TrialCurve[] study = [Curve("a", 0.5)];

        Assert.Equal(EarlyStoppingDecision.Prune, rule.Decide(Curve("t", 0.4), study));
        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(Curve("t", 0.6), study));
        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(Curve("t", 0.5), study));
    }

    [Fact]
    public void Asha_keeps_top_third_at_rung()
    {
        var rule = new AshaRule(Options);

        // Five others at rung 1 plus the trial make six, so the top two continue.
        TrialCurve[] study = [Curve("a", 0.9), Curve("b", 0.7), Curve("c", 0.5), Curve("d", 0.3), Curve("e", 0.1)];

        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(Curve("t", 0.8), study));
        Assert.Equal(EarlyStoppingDecision.Prune, rule.Decide(Curve("t", 0.6), study));
    }

    [Fact]
    public void Asha_decides_only_at_rungs()
    {
        var rule = new AshaRule(Options);
        TrialCurve[] study = [Curve("a", 0.9, 0.9), Curve("b", 0.8, 0.8), Curve("c", 0.7, 0.7)];

        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(Curve("t", 0.95, 0.1), study));
    }

    [Fact]
    public void Asha_compares_only_trials_reaching_rung()
    {
        var rule = new AshaRule(Options);

        // Only a reached rung 3: b stopped after epoch 1 and c after epoch 2, so neither competes there.
        TrialCurve[] study = [Curve("a", 0.5, 0.6, 0.7), Curve("b", 0.9), Curve("c", 0.8, 0.85)];

        Assert.Equal(EarlyStoppingDecision.Prune, rule.Decide(Curve("t", 0.5, 0.55, 0.6), study));
        Assert.Equal(EarlyStoppingDecision.Continue, rule.Decide(Curve("t", 0.5, 0.55, 0.75), study));
    }

    [Fact]
    public void Asha_rejects_reduction_factor_one()
    {
        var error = Assert.Throws<ArgumentException>(() => new AshaRule(Options with { ReductionFactor = 1 }));

        Assert.Contains("early-stopping option ReductionFactor = 1 is invalid; use 2 or more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_are_created_by_name()
    {
        Assert.IsType<MedianStoppingRule>(EarlyStoppingRules.Create("median"));
        Assert.IsType<AshaRule>(EarlyStoppingRules.Create("asha", new EarlyStoppingOptions { ReductionFactor = 4 }));
        Assert.IsType<NoEarlyStopping>(EarlyStoppingRules.Create("none"));
        var error = Assert.Throws<ArgumentException>(() => EarlyStoppingRules.Create("hyperband"));
        Assert.Contains("early-stopping rule 'hyperband' is unknown; use one of none, median, asha", error.Message, StringComparison.Ordinal);
    }
}
