using System.Collections.Immutable;
using System.Diagnostics;
using Rafiki.Cluster.Tests;
using Akka.Actor;
using Rafiki.Core;
using Rafiki.Training.Studies;

namespace Rafiki.Bench.Cluster;

/// <summary>
/// Kills the worker that runs a trial (SIGKILL) and measures the time until the trial runs again on the other
/// worker: until the study master hears from the new worker that it took a device slot and resumed the trial.
/// </summary>
public static class FailoverBenchmark
{
    public static async Task RunAsync(int repeats)
    {
        await using var cluster = await TestCluster.CreateAsync();
        await cluster.StartNodeAsync("master", "master");
        await cluster.StartNodeAsync("worker-1", "worker");
        await cluster.StartNodeAsync("worker-2", "worker");
        await cluster.StartClientAsync();
        var (train, validation) = cluster.ImportFashionSubset();
        var membership = MembershipClock.Start(cluster.Client!.System);
        var timings = new List<double>();
        Console.WriteLine($"failover: small-cnn trials on the Fashion-MNIST subset, 2 workers, kill -9 of the trial's worker, {repeats} repeats");
        Console.WriteLine("| repeat | killed | resumed on | resumed after epoch | unreachable s | downed s | removed s | running again s |");
        Console.WriteLine("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |");

        for (var repeat = 1; repeat <= repeats; repeat++)
        {
            var spec = new StudySpec(
                $"failover-{repeat}", TaskType.ImageClassification, train.Id, validation.Id, ImmutableArray.Create("small-cnn"),
                new StudyBudget(1, 40, 1), Seed: repeat);
            var studyId = await cluster.SubmitAsync(spec);
            var before = await cluster.WaitForAsync(studyId, s => s.Trials is [{ Epochs: >= 2, Worker: not null }], TimeSpan.FromMinutes(2));
            var victim = cluster.NodeAt(before.Trials[0].Worker!);
            var port = cluster.PortOf(victim);
            membership.Forget(port);
            var killedAt = Stopwatch.GetTimestamp();
            var clock = Stopwatch.StartNew();
            cluster.Kill(victim);
            var moved = await cluster.WaitForAsync(
                studyId, s => s.Trials[0].Worker is { } worker && cluster.NodeAt(worker) != victim, TimeSpan.FromMinutes(2));
            var seconds = clock.Elapsed.TotalSeconds;
            timings.Add(seconds);
            string Step(string step) => membership.SecondsSince(killedAt, port, step) is { } s ? s.ToString("F1") : "-";
            Console.WriteLine(
                $"| {repeat} | {victim} | {cluster.NodeAt(moved.Trials[0].Worker!)} | {moved.Trials[0].Epochs} | "
                + $"{Step("unreachable")} | {Step("downed")} | {Step("removed")} | {seconds:F1} |");

            await cluster.Client!.Studies.Ask<StudyStatus>(new StudyProtocol.StopStudy(studyId), TimeSpan.FromSeconds(30));
            await cluster.RestartNodeAsync(victim);
        }

        timings.Sort();
        Console.WriteLine($"failover seconds: median {timings[timings.Count / 2]:F1}, max {timings[^1]:F1}");
    }
}
