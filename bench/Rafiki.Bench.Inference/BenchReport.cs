using System.Globalization;
using System.Text;
using Rafiki.Batching;

namespace Rafiki.Bench.Inference;

/// <summary>Formats the bench results as Markdown: the model alone, one section per workload, and the goals.</summary>
internal static class BenchReport
{
    private static readonly (int Low, int High)[] BatchSizeRanges =
        [(1, 1), (2, 3), (4, 7), (8, 15), (16, 31), (32, 63), (64, int.MaxValue)];

    public static string Markdown(
        BenchSettings settings,
        IReadOnlyList<BatchMeasurement> alone,
        double capacity,
        IReadOnlyList<Workload> workloads,
        IReadOnlyList<RunResult> results,
        string loadBefore,
        string loadAfter)
    {
        var text = new StringBuilder();
        Line(text, $"Load average of the machine (1, 5 and 15 minutes) before the bench: {loadBefore}; after it: {loadAfter}.");
        Line(text);
        Line(text, "### The model alone");
        Line(text);
        Line(text, "| batch size | p50 (ms) | p95 (ms) | throughput (img/s) |");
        Line(text, "| ---: | ---: | ---: | ---: |");
        foreach (var measurement in alone)
        {
            Line(text, $"| {measurement.BatchSize} | {measurement.P50Ms:0.00} | {measurement.P95Ms:0.00} | {measurement.ThroughputPerSecond:0} |");
        }

        Line(text);
        Line(text, $"Capacity (best throughput above): {capacity:0} img/s. Each later workload measures the model alone again "
            + $"just before it runs and sets its rates from that. {DescribeSettings(settings)}");
        Line(text);
        foreach (var workload in workloads)
        {
            var runs = results.Where(result => result.Workload == workload.Name).ToList();
            Line(text, $"### Workload: {workload.Name}");
            Line(text);
            Line(text, $"{workload.Description}, {workload.DurationMs / 1000:0.#} s of arrivals per run, two runs per policy. "
                + $"Capacity measured before the workload: {workload.CapacityPerSecond:0} img/s.");
            Line(text);
            text.Append(Metrics(runs));
            Line(text);
            Line(text, "Share of batches by size:");
            Line(text);
            text.Append(BatchSizes(runs, settings.Job.MaxBatchSize));
            Line(text);
        }

        text.Append(Goals(results, workloads));
        return text.ToString();
    }

    private static string Metrics(IReadOnlyList<RunResult> runs)
    {
        var text = new StringBuilder();
        var paired = runs.Any(run => run.AloneThroughputPerSecond is not null);
        Line(text, "| policy | throughput (req/s) | p50 (ms) | p95 (ms) | p99 (ms) | overdue | over tau at client | rejected "
            + "| failed | accuracy | mean batch | batches | wake-up lag p99 (ms) |" + (paired ? " model alone at Bmax (img/s) |" : ""));
        Line(text, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (paired ? " ---: |" : ""));
        foreach (var run in runs)
        {
            Line(text, $"| {run.Policy} | {run.ThroughputPerSecond:0} | {run.P50Ms:0.0} | {run.P95Ms:0.0} | {run.P99Ms:0.0} "
                + $"| {run.OverdueRatio:0.00%} | {run.ClientOverTauRatio:0.00%} | {run.RejectedRatio:0.00%} | {run.Failed} "
                + $"| {run.Accuracy:0.00%} | {run.MeanBatchSize:0.0} | {run.Batches} | {run.WakeUpLagP99Ms:0.0} |"
                + (paired ? $" {run.AloneThroughputPerSecond:0} |" : ""));
        }

        return text.ToString();
    }

    private static string BatchSizes(IReadOnlyList<RunResult> runs, int maxBatchSize)
    {
        var ranges = BatchSizeRanges.Where(range => range.Low <= maxBatchSize).ToArray();
        var text = new StringBuilder("| policy |");
        foreach (var (low, high) in ranges)
        {
            var upper = Math.Min(high, maxBatchSize);
            text.Append(low == upper ? $" b = {low} |" : $" b = {low}-{upper} |");
        }

        Line(text);
        Line(text, "| --- |" + string.Concat(Enumerable.Repeat(" ---: |", ranges.Length)));
        foreach (var run in runs)
        {
            text.Append($"| {run.Policy} |");
            foreach (var (low, high) in ranges)
            {
                var batches = run.BatchSizeCounts.Where(pair => pair.Key >= low && pair.Key <= high).Sum(pair => pair.Value);
                text.Append(CultureInfo.InvariantCulture, $" {(run.Batches == 0 ? 0 : (double)batches / run.Batches):0.0%} |");
            }

            Line(text);
        }

        return text.ToString();
    }

    /// <summary>Checks the goals against the greedy policy's runs; a goal whose runs are missing is skipped.</summary>
    private static string Goals(IReadOnlyList<RunResult> results, IReadOnlyList<Workload> workloads)
    {
        RunResult? Find(string workload, string policy) =>
            results.FirstOrDefault(result => result.Workload == workload && result.Policy == policy);

        var text = new StringBuilder();
        Line(text, "### Goals (greedy policy)");
        Line(text);
        if (Find("saturation", BatchingPolicies.Greedy) is { } saturated)
        {
            var capacity = workloads.Single(workload => workload.Name == "saturation").CapacityPerSecond;
            var share = saturated.ThroughputPerSecond / capacity;
            Line(text, $"- Saturation throughput at least 90% of the model alone: {saturated.ThroughputPerSecond:0} of {capacity:0} "
                + $"req/s measured before the workload, {share:0.0%}: {Verdict(share >= 0.9)}.");
            if (saturated.AloneThroughputPerSecond is { } paired)
            {
                var pairedShare = saturated.ThroughputPerSecond / paired;
                Line(text, $"- The same against the model alone at Bmax, measured right before each saturation run: "
                    + $"{saturated.ThroughputPerSecond:0} of {paired:0} req/s, {pairedShare:0.0%}: {Verdict(pairedShare >= 0.9)}.");
            }
        }

        if (Find("poisson", BatchingPolicies.Greedy) is { } poisson)
        {
            Line(text, $"- Overdue ratio below 1% with Poisson arrivals at 0.8x capacity: {poisson.OverdueRatio:0.00%}: "
                + $"{Verdict(poisson.OverdueRatio < 0.01)}.");
        }

        if (Find("sine", BatchingPolicies.Greedy) is { } greedy)
        {
            foreach (var other in new[] { BatchingPolicies.FixedWait, BatchingPolicies.Aimd })
            {
                if (Find("sine", other) is { } baseline)
                {
                    Line(text, $"- Sine: fewer overdue requests than {other}: {greedy.Late + greedy.Overdue} against "
                        + $"{baseline.Late + baseline.Overdue}: {Verdict(greedy.Late + greedy.Overdue < baseline.Late + baseline.Overdue)}.");
                }
            }

            if (Find("sine", BatchingPolicies.None) is { } none)
            {
                var ratio = none.ThroughputPerSecond > 0 ? greedy.ThroughputPerSecond / none.ThroughputPerSecond : double.PositiveInfinity;
                Line(text, $"- Sine: at least 3x the throughput of no batching: {greedy.ThroughputPerSecond:0} against "
                    + $"{none.ThroughputPerSecond:0} req/s, {ratio:0.00}x: {Verdict(ratio >= 3)}.");
            }
        }

        return text.ToString();
    }

    private static string Verdict(bool met) => met ? "met" : "not met";

    private static string DescribeSettings(BenchSettings settings)
    {
        var job = settings.Job;
        return $"tau = {job.TauMs} ms, Bmax = {job.MaxBatchSize}, greedy margin = {job.MarginMs} ms, fixed-wait delay = "
            + $"{job.MaxWaitMs} ms, queue limit = {job.QueueLimit}, overdue requests: {job.OverdueAction}"
            + (job.OverdueAction == OverdueAction.ServeLate ? $" (at most {job.MaxLateMs ?? (BatchingOptions.DefaultLateLimitFactor * job.TauMs)} ms late)" : "")
            + ", torch threads = "
            + $"{settings.TorchThreads}, seed {settings.Seed}.";
    }

    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
