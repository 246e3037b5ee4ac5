using System.Collections.Immutable;
using Rafiki.Bench.Plugins;
using Rafiki.Cluster.Tests;
using Rafiki.Core;
using Rafiki.Models;
using Rafiki.Storage.Datasets;
using Rafiki.Training.Studies;

namespace Rafiki.Bench.Cluster;

/// <summary>
/// Runs one study of many one-epoch trials whose epoch sleeps for 1 s, on worker processes with several slots each,
/// and compares the time from the first trial start to the study's end with the ideal trials / slots seconds.
/// </summary>
public static class SchedulingBenchmark
{
    public static async Task RunAsync(int trials, int workers, int slotsPerWorker, int queuedTrials)
    {
        var slots = workers * slotsPerWorker;
        var plugin = typeof(SleepFamily).Assembly.Location;
        ModelZoo.Register(new SleepFamily());
        await using var cluster = await TestCluster.CreateAsync();
        await cluster.StartNodeAsync("master", "master", extraArguments: ["--model-plugins", plugin]);
        for (var i = 1; i <= workers; i++)
        {
            await cluster.StartNodeAsync($"worker-{i}", "worker", slotsPerWorker, extraArguments: ["--model-plugins", plugin]);
        }

        await cluster.StartClientAsync();
        var store = new DatasetStore(cluster.SharedDatasets);
        var tiny = store.Add("tiny", "idx", new ImageDataset(1, 2, 2, ["a", "b"], new byte[8], [0, 1]));
        var spec = new StudySpec(
            "scheduling", TaskType.ImageClassification, tiny.Id, tiny.Id, ImmutableArray.Create("bench-sleep"), new StudyBudget(trials, 1, slots, QueuedTrials: queuedTrials))
        {
            // Random search, as in the sleeping-trainer benchmarks of other tuners, so the advisor's own cost
            // is not counted as scheduling overhead.
            Advisor = "random",
        };
        Console.WriteLine($"scheduling: {trials} trials of 1 s on {workers} workers x {slotsPerWorker} slots, {queuedTrials} queued trials, PostgreSQL persistence");

        var studyId = await cluster.SubmitAsync(spec);
        var done = await cluster.WaitForAsync(studyId, s => s.State != StudyState.Running, TimeSpan.FromSeconds((trials / slots * 3) + 120), pollInterval: TimeSpan.FromSeconds(2));
        var events = await cluster.StudyEventsAsync(studyId);
        if (Environment.GetEnvironmentVariable("RAFIKI_BENCH_LOGS") is { Length: > 0 } logPath)
        {
            await File.WriteAllTextAsync(logPath, cluster.Output());
            await File.WriteAllLinesAsync(logPath + ".events", events.Select(e => $"{e.Type} {e.Payload.GetRawText()}"));
        }

        var firstStart = events.Where(e => e.Type == "TrialStarted").Min(e => e.Payload.GetProperty("startedAt").GetDateTimeOffset());
        var end = events.Single(e => e.Type == "StudyEnded").Payload.GetProperty("endedAt").GetDateTimeOffset();
        var total = (end - firstStart).TotalSeconds;
        var ideal = Math.Ceiling((double)trials / slots) * 1.0;
        var completed = done.Trials.Count(t => t.State == TrialState.Completed);
        var starts = events.Where(e => e.Type == "TrialStarted").ToDictionary(
            e => e.Payload.GetProperty("trialId").GetString()!, e => e.Payload.GetProperty("startedAt").GetDateTimeOffset());
        var spans = events.Where(e => e.Type == "TrialEnded")
            .Select(e => (e.Payload.GetProperty("endedAt").GetDateTimeOffset() - starts[e.Payload.GetProperty("trialId").GetString()!]).TotalSeconds)
            .Order().ToList();
        Console.WriteLine($"trial start-to-end seconds: median {spans[spans.Count / 2]:F3}, p95 {spans[(int)(spans.Count * 0.95)]:F3}, max {spans[^1]:F3}");
        Console.WriteLine($"| trials | slots | completed | total s | ideal s | overhead | trials/s |");
        Console.WriteLine($"| {trials} | {slots} | {completed} | {total:F1} | {ideal:F0} | {(total / ideal) - 1:P1} | {trials / total:F1} |");
    }
}
