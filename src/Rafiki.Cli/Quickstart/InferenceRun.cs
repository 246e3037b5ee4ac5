using System.Diagnostics;
using Akka.Actor;
using Rafiki.Core;
using Rafiki.Hosting;
using Rafiki.Inference;
using Rafiki.Models;
using Rafiki.Storage.Datasets;
using Rafiki.Training.Studies;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Cli.Quickstart;

/// <summary>Deploys a study's best trial as an inference job and sends it every test image.</summary>
public static class InferenceRun
{
    /// <summary>Requests in flight at once: enough to fill batches, few enough to keep latency meaningful.</summary>
    private const int Concurrency = 128;

    /// <summary>Deploys, predicts the whole test set, stops the job, and returns accuracy and latency statistics.</summary>
    public static async Task<(double Accuracy, InferenceSummary Summary)> RunAsync(
        RafikiNode node, StudyStatus study, ImageDataset test, string device, Action<string> report, CancellationToken cancellationToken)
    {
        var best = study.Best ?? throw new QuickstartException($"study {study.StudyId} has no trial with a checkpoint to deploy.");
        var jobId = Ids.New("job");
        var model = new DeployedModel(
            best.Id, best.Model, best.Knobs, best.BestCheckpointId!, new ImageShape(test.Channels, test.Height, test.Width), test.ClassNames);
        var deployed = await node.InferenceJobs.Ask<object>(
            new DeployInferenceJob(jobId, study.StudyId, [model], new InferenceJobSettings(Device: device)),
            TimeSpan.FromMinutes(2), cancellationToken);
        if (deployed is InferenceJobFailed failed)
        {
            throw new QuickstartException($"inference job failed to start: {failed.Reason}");
        }

        report($"Deployed trial {best.Id} ({best.Model}) as inference job {jobId}; sending {test.Count} test images...");
        try
        {
            var (accuracy, summary) = await PredictAllAsync(node.InferenceJobs, jobId, test, cancellationToken);
            var status = await node.InferenceJobs.Ask<InferenceJobStatus>(new GetInferenceJob(jobId), TimeSpan.FromSeconds(10), cancellationToken);
            var batches = status.BatchSizeCounts.Values.Sum();
            var meanBatch = batches == 0 ? 0 : status.BatchSizeCounts.Sum(pair => (double)pair.Key * pair.Value) / batches;
            return (accuracy, summary with { MeanBatchSize = Math.Round(meanBatch, 2) });
        }
        finally
        {
            await node.InferenceJobs.Ask<object>(new StopInferenceJob(jobId), TimeSpan.FromSeconds(30), CancellationToken.None);
        }
    }

    private static async Task<(double Accuracy, InferenceSummary Summary)> PredictAllAsync(
        IActorRef jobs, string jobId, ImageDataset test, CancellationToken cancellationToken)
    {
        var latencies = new double[test.Count];
        var correct = 0;
        var failed = 0;
        using var gate = new SemaphoreSlim(Concurrency);
        var total = Stopwatch.StartNew();
        var tasks = new List<Task>(test.Count);
        for (var i = 0; i < test.Count; i++)
        {
            await gate.WaitAsync(cancellationToken);
            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var result = await jobs.Ask<PredictionResult>(
                        new Predict(jobId, $"test-{index}", test.Image(index).ToArray()), TimeSpan.FromSeconds(60), cancellationToken);
                    latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (result.Status != PredictionStatus.Ok)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    else if (result.Label == test.Labels[index])
                    {
                        Interlocked.Increment(ref correct);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(tasks);
        var seconds = total.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        var summary = new InferenceSummary(
            test.Count, Round(Percentile(latencies, 0.50)), Round(Percentile(latencies, 0.99)), Math.Round(test.Count / seconds, 1), 0, failed);
        return ((double)correct / test.Count, summary);
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private static double Round(double value) => Math.Round(value, 2);
}
