using System.Globalization;
using System.Text;
using Rafiki.Batching;
using Rafiki.Batching.Latency;
using Rafiki.Batching.Simulation;

namespace Rafiki.Bench.Batching;

/// <summary>Simulates every policy on every workload and prints, and optionally writes, the results.</summary>
internal static class BenchRunner
{
    public static int Run(BenchSettings settings, TextWriter output)
    {
        var latency = CreateLatency(settings);
        var maxBatchSize = settings.Options.MaxBatchSize;
        var capacityPerSecond = maxBatchSize * 1000 / latency.MeanMs(maxBatchSize);
        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Simulated model: c(b) = {latency.Description}.");
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"Capacity (Bmax / mean c(Bmax)): {capacityPerSecond:0} req/s. {DescribeOptions(settings)}");
        markdown.AppendLine();

        IReadOnlyList<SimulationReport>? sineReports = null;
        var selected = Workloads.Create(capacityPerSecond)
            .Where(arrivals => settings.Workloads.Contains(arrivals.Name));
        foreach (var arrivals in selected)
        {
            var reports = BatchingPolicies.All
                .Select(policy => BatchingSimulator.Run(CreateSetup(settings, policy, arrivals, latency)))
                .ToList();
            if (arrivals is SineArrivals)
            {
                sineReports = reports;
            }

            markdown.AppendLine(CultureInfo.InvariantCulture, $"### Workload: {arrivals.Name}");
            markdown.AppendLine();
            markdown.AppendLine(Workloads.Describe(arrivals, capacityPerSecond) + ".");
            markdown.AppendLine();
            markdown.AppendLine(MarkdownTables.Metrics(reports));
            markdown.AppendLine("Share of batches by size:");
            markdown.AppendLine();
            markdown.AppendLine(MarkdownTables.BatchSizes(reports, maxBatchSize));
        }

        output.Write(markdown.ToString());
        if (settings.MarkdownPath is { } markdownPath)
        {
            File.WriteAllText(markdownPath, markdown.ToString());
            output.WriteLine($"Wrote {markdownPath}");
        }

        if (settings.PlotsFolder is { } folder && sineReports is not null)
        {
            foreach (var path in SinePlots.Write(sineReports, capacityPerSecond, folder))
            {
                output.WriteLine($"Wrote {path}");
            }
        }

        return 0;
    }

    private static IBatchLatencyFunction CreateLatency(BenchSettings settings)
    {
        if (settings.LatencyJsonPath is not { } path)
        {
            return new LinearBatchLatency(settings.FixedMs, settings.PerRequestMs, settings.NoiseSigma);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Latency file '{path}' was not found; pass --latency-json the path of a JSON object such as "
                + "{ \"1\": 2.3, \"8\": 4.1 } that maps batch size to latency in ms.",
                path);
        }

        var measured = BatchLatencyModel.ParseWarmupJson(File.ReadAllText(path));
        return new MeasuredBatchLatency(measured, settings.NoiseSigma);
    }

    private static SimulationSetup CreateSetup(
        BenchSettings settings, string policy, IArrivalProcess arrivals, IBatchLatencyFunction latency) =>
        new(policy, settings.Options, arrivals, latency, settings.DurationMs, settings.Seed)
        {
            WindowMs = settings.WindowMs,
            TimerResolutionMs = settings.TimerResolutionMs,
        };

    private static string DescribeOptions(BenchSettings settings)
    {
        var options = settings.Options;

        // Reject removes each request as soon as it turns overdue, so only ServeLate uses the maximum lateness.
        var overdueAction = options.OverdueAction == OverdueAction.ServeLate
            ? $"{options.OverdueAction}, max lateness = {options.LateLimitMs} ms"
            : $"{options.OverdueAction}";
        return $"tau = {options.TauMs} ms, Bmax = {options.MaxBatchSize}, margin = {options.MarginMs} ms, "
            + $"fixed-wait delay = {options.MaxQueueDelayMs} ms, AIMD +{options.AimdIncrease} / "
            + $"x{options.AimdDecreaseFactor}, overdue requests: {overdueAction}, "
            + $"queue capacity = {options.QueueCapacity}, timer tick = {settings.TimerResolutionMs} ms, "
            + $"{settings.DurationMs / 1000:0} s of arrivals per run, seed {settings.Seed}.";
    }
}
