using Akka.Actor;
using Akka.Configuration;
using Rafiki.Batching.Simulation;
using Rafiki.Inference;
using Rafiki.Models.Torch;
using Rafiki.Storage.Checkpoints;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Bench.Inference;

/// <summary>
/// Trains or loads the model, measures it alone, then runs every workload against a real inference job for each
/// policy and writes the report. Everything runs in this process: the load generator, the job's router and its
/// model actor exchange in-process actor messages, with no network. Each workload runs every policy twice, in the
/// order A B C D D C B A, so a change in the machine's load during the bench weighs on every policy about equally.
/// </summary>
internal static class BenchRunner
{
    /// <summary>Rounds of the measurement of the model alone; each round runs every batch size once.</summary>
    private const int ProbeRounds = 20;

    /// <summary>Rounds of the shorter measurement of the model alone before each later workload.</summary>
    private const int RecheckRounds = 8;

    /// <summary>Time each batch size runs in one round of the measurement of the model alone.</summary>
    private static readonly TimeSpan ProbeSlice = TimeSpan.FromMilliseconds(50);

    /// <summary>Time the model alone runs Bmax batches before each saturation run, for a paired comparison.</summary>
    private static readonly TimeSpan PairedProbeTime = TimeSpan.FromSeconds(1);

    /// <summary>Length of the unreported run that compiles and warms the serving path before the first measurement.</summary>
    private const double WarmupRunMs = 3000;

    private const string AkkaConfig = """
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """;

    public static async Task<int> RunAsync(BenchSettings settings, TextWriter output)
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.SetThreads(settings.TorchThreads);
        var (train, test) = BenchModel.LoadData(settings.FashionMnistDirectory);
        var checkpoints = new FileSystemParameterStore(Path.Combine(settings.WorkDirectory, "checkpoints"));
        var model = await BenchModel.PrepareAsync(checkpoints, train, settings.TrainImages, output);
        using var probe = await CapacityProbe.LoadAsync(model, checkpoints, test);

        output.WriteLine("Measuring the model alone...");
        var maxBatchSize = settings.Job.MaxBatchSize;
        var loadBefore = LoadAverage.Read();
        var alone = probe.MeasureAll(maxBatchSize, ProbeRounds, ProbeSlice);
        var capacity = alone.Max(measurement => measurement.ThroughputPerSecond);
        foreach (var measurement in alone)
        {
            output.WriteLine($"  b = {measurement.BatchSize}: p50 {measurement.P50Ms:0.00} ms, {measurement.ThroughputPerSecond:0} img/s");
        }

        var images = Enumerable.Range(0, test.Count).Select(i => test.Image(i).ToArray()).ToArray();
        using var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString(AkkaConfig + "\n" + ModelActor.DispatcherHocon));
        var jobs = system.ActorOf(InferenceJobsActor.Props(checkpoints), "inference-jobs");
        var runner = new JobRunner(jobs, system, model, images, settings);

        output.WriteLine("Warming up the serving path...");
        var warmup = new Workload("warm-up", new PoissonArrivals(0.5 * capacity), WarmupRunMs, "warm-up");
        await runner.RunAsync(warmup, settings.Job.Policy, warmup.ArrivalTimesMs(settings.Seed));

        // The machine's speed drifts during a bench, so each workload after the first measures the model alone again.
        // A load of 0.8x capacity then means 0.8x of what the model serves at that time.
        var workloads = new List<Workload>();
        var results = new List<RunResult>();
        foreach (var name in Workload.Names.Where(settings.Workloads.Contains))
        {
            var current = workloads.Count == 0
                ? capacity
                : probe.MeasureAll(maxBatchSize, RecheckRounds, ProbeSlice).Max(measurement => measurement.ThroughputPerSecond);
            var workload = Workload.Create(current, settings).Single(candidate => candidate.Name == name);
            workloads.Add(workload);
            output.WriteLine($"{workload.Name,-10} capacity {current:0} img/s");
            var arrivals = workload.ArrivalTimesMs(settings.Seed);
            var records = settings.Policies.ToDictionary(policy => policy, _ => new List<RunRecord>());
            var aloneThroughputs = settings.Policies.ToDictionary(policy => policy, _ => new List<double>());
            var order = settings.Policies.Concat(settings.Policies.Reverse()).ToList();
            foreach (var policy in order)
            {
                if (workload.Name == "saturation")
                {
                    aloneThroughputs[policy].Add(probe.Measure(maxBatchSize, PairedProbeTime).ThroughputPerSecond);
                }

                var record = await runner.RunAsync(workload, policy, arrivals);
                records[policy].Add(record);
                if (settings.RequestLogsFolder is { } logs)
                {
                    var path = Path.Combine(logs, $"{workload.Name}-{policy}-{records[policy].Count}.csv");
                    await record.Log.WriteCsvAsync(path);
                }

                output.WriteLine($"{workload.Name,-10} {policy,-10} {record.Log.Count} requests sent and answered");
            }

            foreach (var policy in settings.Policies)
            {
                var result = new RunResult(policy, workload.Name, records[policy], test.Labels, settings.Job.TauMs, settings.WindowMs)
                {
                    AloneThroughputPerSecond = aloneThroughputs[policy].Count > 0 ? aloneThroughputs[policy].Average() : null,
                };
                results.Add(result);
                output.WriteLine($"{workload.Name,-10} {policy,-10} {result.ThroughputPerSecond,7:0} req/s, p99 {result.P99Ms,7:0.0} ms, "
                    + $"overdue {result.OverdueRatio,7:0.00%}, rejected {result.RejectedRatio,7:0.00%}, mean batch {result.MeanBatchSize:0.0}");
            }
        }

        var report = BenchReport.Markdown(settings, alone, capacity, workloads, results, loadBefore, LoadAverage.Read());
        output.WriteLine();
        output.Write(report);
        if (settings.MarkdownPath is { } markdownPath)
        {
            await File.WriteAllTextAsync(markdownPath, report);
            output.WriteLine($"Wrote {markdownPath}");
        }

        var sine = results.Where(result => result.Workload == "sine").ToList();
        if (settings.PlotsFolder is { } folder && sine.Count > 0)
        {
            foreach (var path in SinePlots.Write(sine, workloads.Single(workload => workload.Name == "sine").CapacityPerSecond, folder))
            {
                output.WriteLine($"Wrote {path}");
            }
        }

        return 0;
    }

    /// <summary>Deploys a fresh job per run, so every run starts from the warm-up latency estimate, and stops it after.</summary>
    private sealed class JobRunner(IActorRef jobs, ActorSystem system, DeployedModel model, byte[][] images, BenchSettings settings)
    {
        private int _runs;

        public async Task<RunRecord> RunAsync(Workload workload, string policy, double[] arrivalsMs)
        {
            var jobId = $"{workload.Name}-{policy}-{++_runs}";
            var deployed = await jobs.Ask<object>(
                new DeployInferenceJob(jobId, "bench", [model], settings.Job with { Policy = policy }), TimeSpan.FromMinutes(2));
            if (deployed is InferenceJobFailed failed)
            {
                throw new InvalidOperationException($"inference job {jobId} failed to deploy: {failed.Reason}");
            }

            // Start every run with the garbage of the previous runs collected, so no run pays for another's.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            try
            {
                return await LoadGenerator.RunAsync(system, jobs, jobId, arrivalsMs, images, settings.WindowMs);
            }
            finally
            {
                await jobs.Ask<InferenceJobStopped>(new StopInferenceJob(jobId), TimeSpan.FromSeconds(30));
            }
        }
    }
}
