using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Rafiki.Core;
using Rafiki.Storage.Datasets;
using Rafiki.Training.Studies;
using Xunit.Abstractions;

namespace Rafiki.Cluster.Tests;

/// <summary>Faults injected into real rafiki-node processes on loopback, with PostgreSQL persistence.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static StudySpec Spec(DatasetInfo train, DatasetInfo validation, int trials, int epochs, int slots) => new(
        "cluster", TaskType.ImageClassification, train.Id, validation.Id, ["small-cnn"], new StudyBudget(trials, epochs, slots), Seed: 3);

    [Fact]
    public async Task Killed_worker_trial_resumes_elsewhere()
    {
        await using var cluster = await TestCluster.CreateAsync();
        await cluster.StartNodeAsync("master", "master");
        await cluster.StartNodeAsync("worker-1", "worker");
        await cluster.StartNodeAsync("worker-2", "worker");
        await cluster.StartClientAsync();
        var (train, validation) = cluster.ImportFashionSubset();
        var studyId = await cluster.SubmitAsync(Spec(train, validation, trials: 1, epochs: 12, slots: 1));

        var before = await cluster.WaitForAsync(studyId, s => s.Trials is [{ Epochs: >= 2, Worker: not null }], TimeSpan.FromMinutes(2));
        var victim = cluster.NodeAt(before.Trials[0].Worker!);
        var killedAt = Stopwatch.StartNew();
        cluster.Kill(victim);
        var moved = await cluster.WaitForAsync(
            studyId, s => s.Trials[0].Worker is { } worker && cluster.NodeAt(worker) != victim, TimeSpan.FromMinutes(1));
        output.WriteLine($"trial running again on {cluster.NodeAt(moved.Trials[0].Worker!)} {killedAt.Elapsed.TotalSeconds:F1} s after killing {victim}");
        var done = await cluster.WaitForAsync(studyId, s => s.State != StudyState.Running, TimeSpan.FromMinutes(2));

        var events = await cluster.StudyEventsAsync(studyId);
        var survivor = victim == "worker-1" ? "worker-2" : "worker-1";
        Assert.Equal(StudyState.Completed, done.State);
        Assert.Equal(TrialState.Completed, done.Trials[0].State);
        Assert.Equal(Enumerable.Range(1, 12), done.Trials[0].History.Select(epoch => epoch.Epoch));
        Assert.Equal(12, events.Count(e => e.Type == "EpochRecorded"));
        Assert.Single(events, e => e.Type == "TrialStarted");
        Assert.Single(events, e => e.Type == "TrialEnded");
        Assert.Contains("resuming after epoch", cluster.Process(survivor).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_master_study_recovers_elsewhere()
    {
        await using var cluster = await TestCluster.CreateAsync();
        await cluster.StartNodeAsync("master-1", "master");
        await cluster.StartNodeAsync("master-2", "master");
        await cluster.StartNodeAsync("worker", "worker");
        await cluster.StartClientAsync();
        var (train, validation) = cluster.ImportFashionSubset();
        var studyId = await cluster.SubmitAsync(Spec(train, validation, trials: 3, epochs: 3, slots: 1));

        await cluster.WaitForAsync(studyId, s => s.Trials.Any(t => t.Epochs >= 1), TimeSpan.FromMinutes(2));
        var host = await StudyHostAsync(cluster, studyId);
        cluster.Kill(host);
        var done = await cluster.WaitForAsync(studyId, s => s.State != StudyState.Running, TimeSpan.FromMinutes(3));

        var events = await cluster.StudyEventsAsync(studyId);
        Assert.Equal(StudyState.Completed, done.State);
        Assert.All(done.Trials, trial => Assert.Equal(TrialState.Completed, trial.State));
        Assert.Equal(3, events.Count(e => e.Type == "TrialStarted"));
        Assert.Equal(3, events.Count(e => e.Type == "TrialEnded"));
        Assert.Equal(9, events.Count(e => e.Type == "EpochRecorded"));
        Assert.NotEqual(host, await StudyHostAsync(cluster, studyId));
    }

    [Fact]
    public async Task Restarted_cluster_continues_study()
    {
        await using var cluster = await TestCluster.CreateAsync();
        await cluster.StartNodeAsync("master", "master");
        await cluster.StartNodeAsync("worker", "worker");
        await cluster.StartClientAsync();
        var (train, validation) = cluster.ImportFashionSubset();
        var studyId = await cluster.SubmitAsync(Spec(train, validation, trials: 2, epochs: 4, slots: 1));
        var before = await cluster.WaitForAsync(studyId, s => s.Trials is [{ State: TrialState.Completed }, { Epochs: >= 1 }], TimeSpan.FromMinutes(2));

        await cluster.StopClientAsync();
        cluster.Kill("master");
        cluster.Kill("worker");
        await cluster.RestartNodeAsync("master");
        await cluster.RestartNodeAsync("worker");
        await cluster.StartClientAsync();
        var done = await cluster.WaitForAsync(studyId, s => s.State != StudyState.Running, TimeSpan.FromMinutes(3));

        var events = await cluster.StudyEventsAsync(studyId);
        Assert.Equal(StudyState.Completed, done.State);
        Assert.Equal(before.Trials[0].History.ToArray(), done.Trials[0].History.ToArray());
        Assert.All(done.Trials, trial => Assert.Equal(TrialState.Completed, trial.State));
        Assert.Equal(8, events.Count(e => e.Type == "EpochRecorded"));
        Assert.Equal(2, events.Count(e => e.Type == "TrialEnded"));
    }

    [Fact]
    public async Task Downed_worker_exits_and_trial_moves()
    {
        await using var cluster = await TestCluster.CreateAsync();
        await cluster.StartNodeAsync("master", "master");
        await cluster.StartNodeAsync("worker-1", "worker");
        await cluster.StartNodeAsync("worker-2", "worker");
        await cluster.StartClientAsync();
        var (train, validation) = cluster.ImportFashionSubset();
        var studyId = await cluster.SubmitAsync(Spec(train, validation, trials: 1, epochs: 10, slots: 1));

        var before = await cluster.WaitForAsync(studyId, s => s.Trials is [{ Epochs: >= 1, Worker: not null }], TimeSpan.FromMinutes(2));
        var victim = cluster.NodeAt(before.Trials[0].Worker!);
        Akka.Cluster.Cluster.Get(cluster.Client!.System).Down(Address.Parse(before.Trials[0].Worker!));
        var exitCode = await cluster.Process(victim).WaitForExitAsync(TimeSpan.FromMinutes(1));
        var done = await cluster.WaitForAsync(studyId, s => s.State != StudyState.Running, TimeSpan.FromMinutes(2));

        Assert.Equal(3, exitCode);
        Assert.Contains("this node was removed from the cluster", cluster.Process(victim).Output, StringComparison.Ordinal);
        Assert.Equal(TrialState.Completed, done.Trials[0].State);
        Assert.Equal(Enumerable.Range(1, 10), done.Trials[0].History.Select(epoch => epoch.Epoch));
    }

    private static async Task<string> StudyHostAsync(TestCluster cluster, string studyId)
    {
        var stats = await cluster.Client!.Studies.Ask<ClusterShardingStats>(new GetClusterShardingStats(TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));
        var shard = new Hosting.StudyMessageExtractor(Hosting.RafikiNode.StudyShards).ShardId(studyId, null);
        var host = stats.Regions.First(region => region.Value.Stats.ContainsKey(shard)).Key;
        return cluster.NodeAt(host.ToString());
    }
}
