using Rafiki.Tuning.CoStudy;

namespace Rafiki.Tuning.Tests;

public class WarmStartPolicyTests
{
    private static readonly WarmStartCandidate[] Candidates =
    [
        new("t1", "cnn", "t1.e2", 0.80),
        new("t2", "cnn", "t2.e1", 0.90),
        new("t3", "resnet", "t3.e2", 0.95),
        new("t4", "cnn", "t4.e3", 0.85),
        new("t5", "cnn", "t5.e1", 0.70),
    ];

    [Fact]
    public void Top_k_is_best_of_family_first()
    {
        var top = WarmStartPolicy.TopK(Candidates, "cnn", 3);

        Assert.Equal(["t2", "t4", "t1"], top.Select(candidate => candidate.TrialId));
    }

    [Theory]
    [InlineData(AlphaSchedule.Linear, 0.0, 1.0)]
    [InlineData(AlphaSchedule.Linear, 0.5, 0.6)]
    [InlineData(AlphaSchedule.Linear, 1.0, 0.2)]
    [InlineData(AlphaSchedule.Exponential, 0.0, 1.0)]
    [InlineData(AlphaSchedule.Exponential, 1.0, 0.2)]
    public void Alpha_starts_at_one_and_decays(AlphaSchedule schedule, double progress, double expected)
    {
        var settings = new CoStudySettings(Schedule: schedule, MinAlpha: 0.2, Decay: 3);

        Assert.Equal(expected, settings.AlphaAt(progress), 3);
    }

    [Fact]
    public void Start_of_study_never_warm_starts()
    {
        var settings = new CoStudySettings();

        var choices = Enumerable.Range(0, 200).Select(i => WarmStartPolicy.Choose(settings, Candidates, "cnn", 0, new Random(i)));

        Assert.All(choices, Assert.Null);
    }

    [Fact]
    public void Late_study_warm_starts_at_rate_one_minus_alpha()
    {
        var settings = new CoStudySettings(MinAlpha: 0.25);

        var warm = Enumerable.Range(0, 4000).Count(i => WarmStartPolicy.Choose(settings, Candidates, "cnn", 1, new Random(i)) is not null);

        Assert.InRange(warm / 4000.0, 0.72, 0.78);
    }

    [Fact]
    public void Best_choice_takes_top_checkpoint()
    {
        var settings = new CoStudySettings(MinAlpha: 0, Choice: WarmStartChoice.Best);

        var choice = WarmStartPolicy.Choose(settings, Candidates, "cnn", 1, new Random(1));

        Assert.Equal("t2.e1", choice!.CheckpointId);
    }

    [Fact]
    public void Weighted_choice_favours_better_checkpoints()
    {
        var settings = new CoStudySettings(MinAlpha: 0, TopK: 3, Choice: WarmStartChoice.ScoreWeighted);

        var counts = Enumerable.Range(0, 3000)
            .Select(i => WarmStartPolicy.Choose(settings, Candidates, "cnn", 1, new Random(i))!.TrialId)
            .GroupBy(id => id)
            .ToDictionary(group => group.Key, group => group.Count());

        Assert.Equal(["t1", "t2", "t4"], counts.Keys.Order());
        Assert.True(counts["t2"] > counts["t4"], $"t2 {counts["t2"]} should beat t4 {counts["t4"]}");
        Assert.True(counts["t4"] > counts["t1"], $"t4 {counts["t4"]} should beat t1 {counts["t1"]}");
    }

    [Fact]
    public void Warm_start_stays_within_family()
    {
        var settings = new CoStudySettings(MinAlpha: 0, Choice: WarmStartChoice.Uniform);

        var choices = Enumerable.Range(0, 500).Select(i => WarmStartPolicy.Choose(settings, Candidates, "resnet", 1, new Random(i))).ToList();

        Assert.All(choices, choice => Assert.Equal("t3", choice!.TrialId));
    }

    [Fact]
    public void Disabled_or_empty_family_starts_fresh()
    {
        Assert.Null(WarmStartPolicy.Choose(CoStudySettings.Off, Candidates, "cnn", 1, new Random(1)));
        Assert.Null(WarmStartPolicy.Choose(new CoStudySettings(MinAlpha: 0), Candidates, "vgg", 1, new Random(1)));
    }

    [Fact]
    public void Same_random_source_gives_same_choice()
    {
        var settings = new CoStudySettings(MinAlpha: 0.1);

        var first = Enumerable.Range(0, 50).Select(i => WarmStartPolicy.Choose(settings, Candidates, "cnn", 0.9, new Random(i))?.TrialId);
        var second = Enumerable.Range(0, 50).Select(i => WarmStartPolicy.Choose(settings, Candidates, "cnn", 0.9, new Random(i))?.TrialId);

        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(0, 0.2, 3.0, "coStudy.topK: 0 is invalid")]
    [InlineData(3, 1.5, 3.0, "coStudy.minAlpha: 1.5 is invalid")]
    [InlineData(3, 0.2, 0.0, "coStudy.decay: 0 is invalid")]
    public void Invalid_settings_are_named(int topK, double minAlpha, double decay, string expected)
    {
        var problems = new CoStudySettings(TopK: topK, MinAlpha: minAlpha, Decay: decay).Validate();

        Assert.Contains(problems, problem => problem.StartsWith(expected, StringComparison.Ordinal));
    }
}
