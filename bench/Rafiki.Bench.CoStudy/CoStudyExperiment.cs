using System.Diagnostics;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Rafiki.Core;
using Rafiki.Hosting;
using Rafiki.Models;
using Rafiki.Storage.Datasets;
using Rafiki.Training.Studies;
using Rafiki.Tuning.CoStudy;

namespace Rafiki.Bench.CoStudy;

/// <summary>
/// Runs the same study (small-cnn and resnet, random advisor, same trial budget) with and without CoStudy for several
/// seeds on an embedded node, then reports best validation and test accuracy, the share of trials in the top
/// accuracy band, training time, and plots accuracy against trial number.
/// </summary>
public static class CoStudyExperiment
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    public static async Task RunAsync(ExperimentSettings settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"rafiki-costudy-{Guid.NewGuid():N}");
        await using var node = await RafikiNode.StartAsync(
            new RafikiNodeOptions { DataDirectory = folder, DeviceSlots = ["cpu", "cpu"] }, logging => logging.SetMinimumLevel(LogLevel.Warning));
        var (train, validation, test) = Import(node.Datasets, settings);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine($"Fashion-MNIST: {train.Count} train, {validation.Count} validation, {test.Count} test images; " +
                          $"{settings.Trials} trials x {settings.Epochs} epoch(s), {settings.Seeds} seeds per mode, 2 device slots");

        var runs = new List<RunResult>();
        foreach (var seed in Enumerable.Range(1, settings.Seeds))
        {
            foreach (var coStudy in new[] { false, true })
            {
                runs.Add(await RunStudyAsync(node, settings, train, validation, test, seed, coStudy));
                var run = runs[^1];
                Console.WriteLine($"{run.Mode} seed {seed}: best val {run.BestValidation:F4}, test {run.Test:F4}, " +
                                  $"top band {run.TopBandShare(settings.HighAccuracy):P0}, {run.Seconds:F0} s");
            }
        }

        Report.Print(runs, settings);
        Report.Plot(runs, settings);
        Directory.Delete(folder, recursive: true);
    }

    private static (DatasetInfo Train, DatasetInfo Validation, ImageDataset Test) Import(DatasetStore store, ExperimentSettings settings)
    {
        var all = IdxFormat.Read(Path.Combine(FashionMnist, "train-images-idx3-ubyte.gz"), Path.Combine(FashionMnist, "train-labels-idx1-ubyte.gz"));
        var test = IdxFormat.Read(Path.Combine(FashionMnist, "t10k-images-idx3-ubyte.gz"), Path.Combine(FashionMnist, "t10k-labels-idx1-ubyte.gz"));
        var train = store.Add("train", "idx", all.Slice(0, settings.TrainImages));
        var validation = store.Add("validation", "idx", all.Slice(all.Count - settings.ValidationImages, settings.ValidationImages));
        return (train, validation, test);
    }

    private static async Task<RunResult> RunStudyAsync(
        RafikiNode node, ExperimentSettings settings, DatasetInfo train, DatasetInfo validation, ImageDataset test, int seed, bool coStudy)
    {
        var spec = new StudySpec(
            coStudy ? "costudy" : "study", TaskType.ImageClassification, train.Id, validation.Id, ["small-cnn", "resnet"],
            new StudyBudget(settings.Trials, settings.Epochs, 2), Seed: seed, CoStudy: coStudy ? new CoStudySettings() : null);
        var studyId = Ids.New("study");
        var clock = Stopwatch.StartNew();
        var answer = await node.StudyRegistry.Ask<object>(new StudyRegistryProtocol.SubmitStudy(studyId, spec), TimeSpan.FromSeconds(30));
        if (answer is not StudyProtocol.StudyAccepted)
        {
            throw new InvalidOperationException($"study rejected: {answer}");
        }

        StudyStatus status;
        do
        {
            await Task.Delay(1000);
            status = await node.Studies.Ask<StudyStatus>(new StudyProtocol.GetStudy(studyId), TimeSpan.FromSeconds(30));
        }
        while (status.State == StudyState.Running);

        var seconds = clock.Elapsed.TotalSeconds;
        var best = status.Best!;
        var testAccuracy = await TestAccuracyAsync(node, best, test);
        return new RunResult(
            coStudy ? "CoStudy" : "Study", seed, best.ValAccuracy, testAccuracy, seconds,
            [.. status.Trials.Select(t => t.ValAccuracy)], status.Trials.Count(t => t.WarmStartFrom is not null));
    }

    private static async Task<double> TestAccuracyAsync(RafikiNode node, TrialStatus best, ImageDataset test)
    {
        var parameters = await node.Checkpoints.LoadAsync(best.BestCheckpointId!) ?? throw new InvalidOperationException("best checkpoint missing");
        using var model = ModelZoo.Get(best.Model).Create(new ModelSpec(best.Knobs, new ImageShape(1, 28, 28), 10, Seed: 0));
        model.LoadParameters(parameters, strict: true);
        return model.Evaluate(test).Accuracy;
    }
}

/// <summary>One study run: its mode and seed, best validation and test accuracy, time, and every trial's accuracy in order.</summary>
public sealed record RunResult(string Mode, int Seed, double BestValidation, double Test, double Seconds, IReadOnlyList<double> TrialAccuracies, int WarmStarts)
{
    /// <summary>Share of trials whose best validation accuracy reached <paramref name="threshold"/>.</summary>
    public double TopBandShare(double threshold) => TrialAccuracies.Count(accuracy => accuracy >= threshold) / (double)TrialAccuracies.Count;
}
