using Rafiki.Testing;
using Rafiki.Training.Studies;
using Rafiki.Tuning.EarlyStopping;

namespace Rafiki.Training.Tests;

public sealed class EarlyStoppingEndToEndTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Asha_prunes_trials_and_keeps_checkpoints()
    {
        await using var node = await TestNodes.StartAsync(_folder.Path);
        var (train, validation) = TestNodes.ImportFashionSubset(node.Datasets);
        var spec = TestNodes.Spec(train, validation, trials: 6, epochs: 3) with { EarlyStopping = EarlyStoppingRules.Asha };

        var studyId = await TestNodes.SubmitAsync(node, spec);
        var status = await TestNodes.WaitForEndAsync(node, studyId, TimeSpan.FromMinutes(5));
        var pruned = status.Trials.Where(trial => trial.State == TrialState.Pruned).ToList();

        Assert.Equal(StudyState.Completed, status.State);
        Assert.NotEmpty(pruned);
        Assert.DoesNotContain(status.Trials, trial => trial.State == TrialState.Failed);
        Assert.All(pruned, trial => Assert.StartsWith("pruned by asha after epoch", trial.Reason, StringComparison.Ordinal));
        Assert.All(pruned, trial => Assert.InRange(trial.History.Length, 1, 2));
        Assert.All(pruned, trial => Assert.All(trial.History, epoch => Assert.False(string.IsNullOrEmpty(epoch.CheckpointId))));
        Assert.True(status.Trials.Sum(trial => trial.History.Length) < 6 * 3, "ASHA trained every epoch of every trial");
    }
}
