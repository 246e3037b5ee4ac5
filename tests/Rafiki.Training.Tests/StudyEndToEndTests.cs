using Rafiki.Testing;
using Rafiki.Training.Studies;

namespace Rafiki.Training.Tests;

public sealed class StudyEndToEndTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Study_runs_all_trials_to_completion()
    {
        await using var node = await TestNodes.StartAsync(_folder.Path);
        var (train, validation) = TestNodes.ImportFashionSubset(node.Datasets);

        var studyId = await TestNodes.SubmitAsync(node, TestNodes.Spec(train, validation, trials: 3, epochs: 2));
        var status = await TestNodes.WaitForEndAsync(node, studyId, TimeSpan.FromMinutes(3));

        Assert.Equal(StudyState.Completed, status.State);
        Assert.Equal(3, status.Trials.Length);
        Assert.All(status.Trials, trial => Assert.Equal(TrialState.Completed, trial.State));
        Assert.All(status.Trials, trial => Assert.Equal([1, 2], trial.History.Select(epoch => epoch.Epoch)));
        Assert.Equal(["small-cnn", "resnet", "small-cnn"], status.Trials.Select(trial => trial.Model));
        Assert.True(status.Best!.ValAccuracy > 0.3, $"best validation accuracy {status.Best.ValAccuracy} is near chance");
        Assert.NotNull(await node.Checkpoints.LoadAsync(status.Best.BestCheckpointId!));
    }
}
