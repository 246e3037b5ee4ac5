using Akka.Actor;
using Rafiki.Testing;
using Rafiki.Training.Studies;

namespace Rafiki.Training.Tests;

public sealed class StudyFailureTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Failing_trials_retry_then_fail_with_reason()
    {
        await using var node = await TestNodes.StartAsync(_folder.Path);
        var (train, _) = TestNodes.ImportFashionSubset(node.Datasets);
        var spec = TestNodes.Spec(train, train with { Id = "ds-missing" }, trials: 2, epochs: 1);

        var studyId = await TestNodes.SubmitAsync(node, spec);
        var status = await TestNodes.WaitForEndAsync(node, studyId, TimeSpan.FromMinutes(2));

        Assert.Equal(StudyState.Completed, status.State);
        Assert.All(status.Trials, trial => Assert.Equal(TrialState.Failed, trial.State));
        Assert.All(status.Trials, trial => Assert.Contains("dataset 'ds-missing' not found", trial.Reason, StringComparison.Ordinal));
        Assert.All(status.Trials, trial => Assert.Equal(spec.MaxTrialRetries + 1, trial.Attempt));
        Assert.Null(status.Best);
    }

    [Fact]
    public async Task Invalid_spec_is_rejected_and_not_registered()
    {
        await using var node = await TestNodes.StartAsync(_folder.Path);
        var (train, validation) = TestNodes.ImportFashionSubset(node.Datasets);
        var spec = TestNodes.Spec(train, validation, trials: 0, epochs: 1);

        var answer = await node.StudyRegistry.Ask<object>(new StudyRegistryProtocol.SubmitStudy("study-bad", spec), TimeSpan.FromSeconds(10));
        var list = await node.StudyRegistry.Ask<StudyRegistryProtocol.StudyList>(StudyRegistryProtocol.ListStudies.Instance, TimeSpan.FromSeconds(10));

        var rejected = Assert.IsType<StudyProtocol.StudyRejected>(answer);
        Assert.Contains(rejected.Problems, problem => problem.StartsWith("budget.maxTrials: 0 is invalid", StringComparison.Ordinal));
        Assert.Empty(list.Studies);
    }

    [Fact]
    public async Task Stopped_study_stops_running_trials()
    {
        await using var node = await TestNodes.StartAsync(_folder.Path);
        var (train, validation) = TestNodes.ImportFashionSubset(node.Datasets);
        var studyId = await TestNodes.SubmitAsync(node, TestNodes.Spec(train, validation, trials: 4, epochs: 50));

        var status = await node.Studies.Ask<StudyStatus>(new StudyProtocol.StopStudy(studyId), TimeSpan.FromSeconds(10));
        var list = await node.StudyRegistry.Ask<StudyRegistryProtocol.StudyList>(StudyRegistryProtocol.ListStudies.Instance, TimeSpan.FromSeconds(10));

        Assert.Equal(StudyState.Stopped, status.State);
        Assert.All(status.Trials, trial => Assert.Equal(TrialState.Stopped, trial.State));
        Assert.True(status.Trials.Length < 4);
        Assert.Equal(StudyState.Stopped, Assert.Single(list.Studies).State);
    }

    [Fact]
    public async Task Unknown_study_is_not_found()
    {
        await using var node = await TestNodes.StartAsync(_folder.Path);

        var answer = await node.Studies.Ask<object>(new StudyProtocol.GetStudy("study-nope"), TimeSpan.FromSeconds(10));

        Assert.Equal(new StudyProtocol.StudyNotFound("study-nope"), answer);
    }
}
