using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Rafiki.Core;
using Rafiki.Hosting;
using Rafiki.Models;
using Rafiki.Models.Torch;
using Rafiki.Training.Studies;
using Rafiki.Tuning.Advisors;
using Rafiki.Tuning.CoStudy;
using Rafiki.Tuning.EarlyStopping;
using Spectre.Console;

namespace Rafiki.Cli.Quickstart;

/// <summary>
/// <c>rafiki quickstart</c>: starts an embedded node with every role, imports Fashion-MNIST, tunes the built-in
/// image classifiers, deploys the best trial and measures it on the test split. An unfinished quickstart study in
/// the same data folder is resumed instead of starting a new one.
/// </summary>
public static class QuickstartCommand
{
    /// <summary>Name of the studies the quickstart creates, used to find one to resume.</summary>
    public const string StudyName = "quickstart";

    /// <summary>Builds the command with its options.</summary>
    public static Command Create()
    {
        var maxTrials = new Option<int>("--max-trials") { Description = "Trials to run in the study.", DefaultValueFactory = _ => 6 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per trial.", DefaultValueFactory = _ => 4 };
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Folder for the node's database, datasets, checkpoints and logs (default: $RAFIKI_DATA_DIR or ~/.local/share/rafiki).",
            DefaultValueFactory = _ => DefaultDataDirectory(),
        };
        var json = new Option<string?>("--json") { Description = "Write a JSON summary of the run to this file." };
        var fashion = new Option<string>("--fashion-mnist")
        {
            Description = "Folder with the four Fashion-MNIST .gz IDX files.",
            DefaultValueFactory = _ => FashionMnist.DefaultDirectory,
        };
        var advisor = new Option<string>("--advisor") { Description = "Knob advisor.", DefaultValueFactory = _ => AdvisorNames.Default };
        advisor.AcceptOnlyFromAmong([.. AdvisorNames.All]);
        var earlyStopping = new Option<string>("--early-stopping") { Description = "Early-stopping rule.", DefaultValueFactory = _ => EarlyStoppingRules.None };
        earlyStopping.AcceptOnlyFromAmong([.. EarlyStoppingRules.All]);
        var seed = new Option<int>("--seed") { Description = "Seed for knob proposals and model initialisation.", DefaultValueFactory = _ => 1 };
        var device = new Option<string>("--device") { Description = "Device for training and inference: cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Trials that train at the same time (device slots); each gets an equal share of the CPU threads.",
            DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 4),
        };
        var timeLimit = new Option<int>("--time-limit")
        {
            Description = "Seconds of tuning after which no trial starts and running trials stop at their next epoch; 0 for none.",
            DefaultValueFactory = _ => 420,
        };

        var coStudy = new Option<string>("--costudy")
        {
            Description = "Collaborative tuning: later trials may start from the best earlier checkpoints (on or off).",
            DefaultValueFactory = _ => "on",
        };
        coStudy.AcceptOnlyFromAmong("on", "off");

        var command = new Command("quickstart", "Tune, train and serve an image classifier on Fashion-MNIST on this machine.")
        {
            maxTrials, epochs, dataDir, json, fashion, advisor, earlyStopping, seed, device, parallel, timeLimit, coStudy,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new QuickstartOptions(
                parse.GetValue(maxTrials), parse.GetValue(epochs), parse.GetValue(dataDir)!, parse.GetValue(json),
                parse.GetValue(fashion)!, parse.GetValue(advisor)!, parse.GetValue(earlyStopping)!, parse.GetValue(seed),
                parse.GetValue(device)!, parse.GetValue(parallel),
                parse.GetValue(timeLimit) is not 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null,
                parse.GetValue(coStudy) == "on"),
            AnsiConsole.Console,
            cancellationToken));
        return command;
    }

    /// <summary>Runs the quickstart; returns the process exit code.</summary>
    public static async Task<int> RunAsync(QuickstartOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        try
        {
            await RunCoreAsync(options, console, cancellationToken);
            return 0;
        }
        catch (QuickstartException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
        catch (ArgumentException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 1;
        }
    }

    private static async Task RunCoreAsync(QuickstartOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        Validate(options);
        var started = Stopwatch.StartNew();
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var logPath = Path.Combine(dataDirectory, "logs", "rafiki.log");
        using var fileLogs = new FileLoggerProvider(logPath);
        console.MarkupLine($"Starting an embedded Rafiki node in [bold]{Markup.Escape(dataDirectory)}[/] (logs: {Markup.Escape(logPath)})");
        var nodeOptions = new RafikiNodeOptions
        {
            DataDirectory = dataDirectory,
            DeviceSlots = Enumerable.Repeat(options.Device, options.Parallel).ToList(),
        };
        await using var node = await RafikiNode.StartAsync(
            nodeOptions, logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(fileLogs), cancellationToken);

        var datasets = FashionMnist.ImportOrReuse(node.Datasets, options.FashionMnistDirectory, line => console.WriteLine(line));
        var earlier = await ShowEarlierStudiesAsync(node, console, cancellationToken);

        var resumable = earlier.LastOrDefault(entry => entry.Name == StudyName && entry.State == StudyState.Running);
        string studyId;
        if (resumable is not null)
        {
            studyId = resumable.StudyId;
            console.MarkupLine($"[yellow]Resuming unfinished study {studyId}[/]: finished trials are kept, running ones continue from their last checkpoint.");
        }
        else
        {
            studyId = await SubmitStudyAsync(node, options, datasets, cancellationToken);
            console.MarkupLine($"Started study [bold]{studyId}[/]: {options.MaxTrials} trials of up to {options.Epochs} epochs over {string.Join(", ", Families)}.");
        }

        var status = await new StudyProgressView(console, node.Studies, studyId).FollowAsync(cancellationToken);
        var best = status.Best;
        if (best is null)
        {
            throw new QuickstartException($"study {studyId} ended ({status.State}) without a trained trial; see {logPath}.");
        }

        console.MarkupLine($"Best trial: [bold]{best.Id}[/] ({best.Model}) with validation accuracy [green]{best.ValAccuracy:F4}[/].");
        var test = node.Datasets.LoadImages(datasets.Test.Id);
        var (accuracy, inference) = await InferenceRun.RunAsync(node, status, test, options.Device, line => console.WriteLine(line), cancellationToken);
        console.MarkupLine($"Test accuracy: [bold green]{accuracy:F4}[/] on {test.Count} images; latency p50 {inference.P50Ms} ms, " +
                           $"p99 {inference.P99Ms} ms; {inference.ThroughputPerSec} predictions/s; mean batch {inference.MeanBatchSize}.");

        var summary = new QuickstartSummary(
            studyId,
            [.. status.Trials.Select(t => new TrialSummary(
                t.Id, t.Model, t.Knobs, t.State.ToString().ToLowerInvariant(), t.Epochs, t.ValAccuracy, t.Reason, t.WarmStartFrom?.TrialId))],
            new BestTrialSummary(best.Id, best.Model, best.ValAccuracy),
            Math.Round(accuracy, 4),
            inference,
            [.. earlier.Where(entry => entry.StudyId != studyId).Select(entry => entry.StudyId)],
            resumable is not null,
            Math.Round(started.Elapsed.TotalSeconds, 1));
        if (options.JsonPath is { } jsonPath)
        {
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(summary, RafikiJson.Indented), cancellationToken);
            console.WriteLine($"Wrote the summary to {jsonPath}.");
        }

        console.WriteLine($"Done in {started.Elapsed.TotalSeconds:F0} s.");
    }

    private static ImmutableArray<string> Families => [.. ModelZoo.ForTask(TaskType.ImageClassification).Select(family => family.Name)];

    private static void Validate(QuickstartOptions options)
    {
        if (options.MaxTrials < 1)
        {
            throw new QuickstartException($"--max-trials {options.MaxTrials} is invalid; use 1 or more.");
        }

        if (options.Epochs < 1)
        {
            throw new QuickstartException($"--epochs {options.Epochs} is invalid; use 1 or more.");
        }

        if (options.TimeLimit is { } limit && limit < TimeSpan.Zero)
        {
            throw new QuickstartException($"--time-limit {limit.TotalSeconds} is invalid; use 0 (none) or more seconds.");
        }

        if (options.Parallel < 1)
        {
            throw new QuickstartException($"--parallel {options.Parallel} is invalid; use 1 or more.");
        }

        try
        {
            TorchRuntime.ParseDevice(options.Device);
        }
        catch (ArgumentException e)
        {
            throw new QuickstartException($"--device: {e.Message}");
        }

        // Both paths are checked before the study starts, so a bad path does not cost a whole study.
        if (File.Exists(options.DataDirectory))
        {
            throw new QuickstartException($"--data-dir {options.DataDirectory} is a file, not a folder; use a folder path.");
        }

        if (options.JsonPath is { } jsonPath
            && Path.GetDirectoryName(Path.GetFullPath(jsonPath)) is { } jsonFolder
            && !Directory.Exists(jsonFolder))
        {
            throw new QuickstartException($"--json {jsonPath} is invalid because the folder {jsonFolder} does not exist; create it or use another path.");
        }
    }

    private static async Task<string> SubmitStudyAsync(
        RafikiNode node, QuickstartOptions options, FashionMnistDatasets datasets, CancellationToken cancellationToken)
    {
        var spec = new StudySpec(
            StudyName,
            TaskType.ImageClassification,
            datasets.Train.Id,
            datasets.Validation.Id,
            Families,
            new StudyBudget(options.MaxTrials, options.Epochs, options.Parallel, options.TimeLimit),
            options.Advisor,
            options.EarlyStopping,
            options.Seed,
            CoStudy: options.CoStudy ? new CoStudySettings() : null);
        var studyId = Ids.New("study");
        var answer = await node.StudyRegistry.Ask<object>(new StudyRegistryProtocol.SubmitStudy(studyId, spec), TimeSpan.FromSeconds(30), cancellationToken);
        return answer switch
        {
            StudyProtocol.StudyAccepted => studyId,
            StudyProtocol.StudyRejected rejected => throw new QuickstartException($"study rejected: {string.Join(" ", rejected.Problems)}"),
            _ => throw new QuickstartException($"unexpected reply to the study submission: {answer}"),
        };
    }

    private static async Task<IReadOnlyList<StudyRegistryProtocol.StudyEntry>> ShowEarlierStudiesAsync(
        RafikiNode node, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var list = await node.StudyRegistry.Ask<StudyRegistryProtocol.StudyList>(
            StudyRegistryProtocol.ListStudies.Instance, TimeSpan.FromSeconds(30), cancellationToken);
        if (list.Studies.Count == 0)
        {
            return list.Studies;
        }

        var table = new Table().Border(TableBorder.Simple).Title("Studies in this data folder")
            .AddColumns("Study", "Name", "Submitted (UTC)", "State", "Trials", "Best val acc");
        foreach (var entry in list.Studies)
        {
            var status = await node.Studies.Ask<StudyStatus>(new StudyProtocol.GetStudy(entry.StudyId), TimeSpan.FromSeconds(30), cancellationToken);
            table.AddRow(
                Markup.Escape(entry.StudyId), Markup.Escape(entry.Name), $"{entry.SubmittedAt:yyyy-MM-dd HH:mm}",
                status.State.ToString().ToLowerInvariant(), $"{status.Trials.Length}/{status.Spec.Budget.MaxTrials}",
                status.Best is { } best ? $"{best.ValAccuracy:F4} ({Markup.Escape(best.Model)})" : "-");
        }

        console.Write(table);
        return list.Studies;
    }

    private static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("RAFIKI_DATA_DIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "rafiki");
}
