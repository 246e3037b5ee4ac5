using Rafiki.Testing;
using Rafiki.Tuning.CoStudy;

namespace Rafiki.Training.Tests;

public sealed class CoStudyEndToEndTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Later_trials_warm_start_from_best()
    {
        await using var node = await TestNodes.StartAsync(_folder.Path);
        var (train, validation) = TestNodes.ImportFashionSubset(node.Datasets);
        var spec = TestNodes.Spec(train, validation, trials: 4, epochs: 1) with
        {
            ModelFamilies = ["small-cnn"],
            CoStudy = new CoStudySettings(Schedule: AlphaSchedule.Exponential, MinAlpha: 0, Decay: 100, Choice: WarmStartChoice.Best),
        };

        var studyId = await TestNodes.SubmitAsync(node, spec);
        var status = await TestNodes.WaitForEndAsync(node, studyId, TimeSpan.FromMinutes(3));

        Assert.Null(status.Trials[0].WarmStartFrom);
        foreach (var trial in status.Trials.Skip(1))
        {
            Assert.NotNull(trial.WarmStartFrom);
            var source = status.Trials.Single(t => t.Id == trial.WarmStartFrom.TrialId);
            Assert.True(source.Number < trial.Number, $"{trial.Id} warm-started from later trial {source.Id}");
            Assert.Equal(source.BestCheckpointId, trial.WarmStartFrom.CheckpointId);
            Assert.NotNull(trial.WarmStartLoad);
            Assert.Contains("fc2.weight", trial.WarmStartLoad!.Loaded);
            Assert.Empty(trial.WarmStartLoad.Skipped);
            Assert.Equal(source.Knobs["channels"], trial.Knobs["channels"]);
            Assert.Equal(source.Knobs["hidden_units"], trial.Knobs["hidden_units"]);
        }

        var earlier = status.Trials.Take(2).ToList();
        Assert.Equal(earlier.MaxBy(t => t.ValAccuracy)!.Id, status.Trials[2].WarmStartFrom!.TrialId);
    }

    [Fact]
    public async Task Plain_study_never_warm_starts()
    {
        await using var node = await TestNodes.StartAsync(_folder.Path);
        var (train, validation) = TestNodes.ImportFashionSubset(node.Datasets);

        var studyId = await TestNodes.SubmitAsync(node, TestNodes.Spec(train, validation, trials: 3, epochs: 1));
        var status = await TestNodes.WaitForEndAsync(node, studyId, TimeSpan.FromMinutes(3));

        Assert.All(status.Trials, trial => Assert.Null(trial.WarmStartFrom));
        Assert.All(status.Trials, trial => Assert.Null(trial.WarmStartLoad));
    }
}
