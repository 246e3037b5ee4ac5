using System.Text.Json;
using Rafiki.Testing;

namespace Rafiki.Cli.Tests;

public sealed class QuickstartCrashTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Killed_study_resumes_without_rerunning_trials()
    {
        var dataDirectory = Path.Combine(_folder.Path, "data");
        var json = Path.Combine(_folder.Path, "summary.json");
        string[] arguments =
        [
            "quickstart", "--data-dir", dataDirectory, "--fashion-mnist", Fixtures.FashionMnist,
            "--max-trials", "4", "--epochs", "3", "--json", json,
        ];

        // First run: kill -9 once one trial has completed and another has recorded an epoch but is still running.
        using (var first = ChildProcess.Start("rafiki", arguments))
        {
            var reached = await first.WaitForOutputAsync(OneCompletedAnotherMidway, TimeSpan.FromMinutes(3));
            Assert.True(reached, $"no moment with a completed trial and another one midway:\n{first.Output}");
            first.KillHard();
        }

        var beforeRestart = Journal.StudyEvents(dataDirectory);
        var finishedBefore = beforeRestart.Where(e => e.Type == "TrialEnded").Select(e => e.Payload.GetProperty("trialId").GetString()).ToList();
        var epochsBefore = EpochRecords(beforeRestart);
        Assert.NotEmpty(finishedBefore);
        Assert.DoesNotContain(beforeRestart, e => e.Type == "StudyEnded");

        // Second run with the same data folder: resumes the study and finishes it.
        using var second = ChildProcess.Start("rafiki", arguments);
        var exitCode = await second.WaitForExitAsync(TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"second run exited with {exitCode}:\n{second.Output}");
        Assert.Contains("Resuming unfinished study", second.Output, StringComparison.Ordinal);

        var events = Journal.StudyEvents(dataDirectory);
        var summary = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        var trials = summary.GetProperty("trials").EnumerateArray().ToList();
        Assert.True(summary.GetProperty("resumed").GetBoolean());
        Assert.Equal(4, trials.Count);
        Assert.All(trials, trial => Assert.Equal("completed", trial.GetProperty("state").GetString()));
        Assert.All(trials, trial => Assert.Equal(3, trial.GetProperty("epochs").GetInt32()));

        // Exactly once: one start and one end per trial, one record per trial and epoch, all in one study.
        Assert.Single(events.Select(e => e.PersistenceId).Distinct());
        Assert.Equal(4, events.Count(e => e.Type == "TrialStarted"));
        Assert.Equal(4, events.Where(e => e.Type == "TrialEnded").Select(TrialId).Distinct().Count());
        Assert.Equal(4, events.Count(e => e.Type == "TrialEnded"));
        var epochs = EpochRecords(events);
        Assert.Equal(12, epochs.Count);
        Assert.Equal(12, epochs.Distinct().Count());

        // Nothing recorded before the crash changed: finished trials were not run again.
        Assert.All(epochsBefore, record => Assert.Contains(record, epochs));

        // The interrupted trial continued from its checkpoint instead of starting over.
        var log = await File.ReadAllTextAsync(Path.Combine(dataDirectory, "logs", "rafiki.log"));
        Assert.Contains("resuming after epoch", log, StringComparison.Ordinal);
    }

    // Progress lines read "trial #N model [knobs]: state, epoch E/3, ..."; the last line of each trial is its state.
    private static bool OneCompletedAnotherMidway(string output)
    {
        var latest = new Dictionary<string, string>();
        foreach (var line in output.Split('\n').Where(line => line.StartsWith("trial #", StringComparison.Ordinal)))
        {
            latest[line[..line.IndexOf(' ', 7)]] = line;
        }

        return latest.Values.Any(line => line.Contains(": completed, epoch 3/3", StringComparison.Ordinal))
               && latest.Values.Any(line => line.Contains(": running, epoch 1/3", StringComparison.Ordinal)
                                           || line.Contains(": running, epoch 2/3", StringComparison.Ordinal));
    }

    private static string? TrialId(Journal.Event e) => e.Payload.GetProperty("trialId").GetString();

    private static List<(string? TrialId, int Epoch, string? Checkpoint, double Duration)> EpochRecords(IEnumerable<Journal.Event> events) =>
        events.Where(e => e.Type == "EpochRecorded").Select(e =>
        {
            var report = e.Payload.GetProperty("report");
            return (TrialId(e), report.GetProperty("epoch").GetInt32(), report.GetProperty("checkpointId").GetString(),
                report.GetProperty("durationSeconds").GetDouble());
        }).ToList();
}
