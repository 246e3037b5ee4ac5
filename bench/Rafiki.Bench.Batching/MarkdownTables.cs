using System.Text;
using Rafiki.Batching.Simulation;

namespace Rafiki.Bench.Batching;

/// <summary>Formats simulation reports as Markdown tables.</summary>
internal static class MarkdownTables
{
    private static readonly (int Low, int High)[] BatchSizeRanges =
        [(1, 1), (2, 3), (4, 7), (8, 15), (16, 31), (32, 63), (64, int.MaxValue)];

    /// <summary>Returns the metrics table of one workload, one row per policy.</summary>
    public static string Metrics(IReadOnlyList<SimulationReport> reports)
    {
        var text = new StringBuilder();
        text.AppendLine("| policy | throughput (req/s) | goodput (req/s) | p50 (ms) | p95 (ms) | p99 (ms) "
            + "| overdue | rejected (queue full) | mean batch | batches | model busy |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var report in reports)
        {
            text.AppendLine(
                $"| {report.PolicyName} | {report.ThroughputPerSecond:0} | {report.GoodputPerSecond:0} "
                + $"| {report.Latency.P50Ms:0.0} | {report.Latency.P95Ms:0.0} | {report.Latency.P99Ms:0.0} "
                + $"| {report.OverdueRatio:0.00%} | {report.RejectedRatio:0.00%} | {report.MeanBatchSize:0.0} "
                + $"| {report.BatchCount} | {report.BusyFraction:0%} |");
        }

        return text.ToString();
    }

    /// <summary>Returns the share of batches in power-of-two size ranges, one row per policy.</summary>
    public static string BatchSizes(IReadOnlyList<SimulationReport> reports, int maxBatchSize)
    {
        var ranges = BatchSizeRanges.Where(range => range.Low <= maxBatchSize).ToArray();
        var text = new StringBuilder();
        text.Append("| policy |");
        foreach (var (low, high) in ranges)
        {
            var upper = Math.Min(high, maxBatchSize);
            text.Append(low == upper ? $" b = {low} |" : $" b = {low}-{upper} |");
        }

        text.AppendLine();
        text.Append("| --- |");
        text.AppendLine(string.Concat(Enumerable.Repeat(" ---: |", ranges.Length)));
        foreach (var report in reports)
        {
            text.Append($"| {report.PolicyName} |");
            foreach (var (low, high) in ranges)
            {
                var batches = report.BatchSizeCounts
                    .Select((count, size) => (count, size))
                    .Where(entry => entry.size >= low && entry.size <= high)
                    .Sum(entry => entry.count);
                var share = report.BatchCount == 0 ? 0 : (double)batches / report.BatchCount;
                text.Append($" {share:0.0%} |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
