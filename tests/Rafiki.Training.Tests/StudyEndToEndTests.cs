using Akka.Actor;
using Microsoft.Extensions.Logging;
using Rafiki.Hosting;
using Rafiki.Testing;
using Rafiki.Training.Devices;
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

    [Fact]
    public async Task Queued_trial_waits_for_the_only_slot()
    {
        await using var node = await RafikiNode.StartAsync(
            new RafikiNodeOptions { DataDirectory = _folder.Path, DeviceSlots = ["cpu"], ProgressInterval = TimeSpan.FromMilliseconds(100) },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        var (train, validation) = TestNodes.ImportFashionSubset(node.Datasets);
        var spec = TestNodes.Spec(train, validation, trials: 3, epochs: 1);
        var slots = node.System.ActorSelection("/user/device-slots");

        var studyId = await TestNodes.SubmitAsync(node, spec with { Budget = spec.Budget with { QueuedTrials = 1 } });
        var samples = new List<DeviceSlotsProtocol.SlotsStatus>();
        StudyStatus status;
        do
        {
            samples.Add(await slots.Ask<DeviceSlotsProtocol.SlotsStatus>(DeviceSlotsProtocol.GetSlots.Instance, TimeSpan.FromSeconds(10)));
            status = await node.Studies.Ask<StudyStatus>(new StudyProtocol.GetStudy(studyId), TimeSpan.FromSeconds(10));
            await Task.Delay(100);
        }
        while (status.State == StudyState.Running && samples.Count < 1800);

        Assert.Equal(StudyState.Completed, status.State);
        Assert.All(status.Trials, trial => Assert.Equal(TrialState.Completed, trial.State));
        Assert.Contains(samples, sample => sample.Holders[0] is not null && sample.Waiting.Count == 1);
        Assert.All(samples, sample => Assert.True(sample.Waiting.Count <= 1, $"{sample.Waiting.Count} trials waited"));
    }
}
