using Rafiki.Inference;

namespace Rafiki.Bench.Inference;

/// <summary>Cuts a run into windows: arrivals and overdue requests by send time, batches by sample time.</summary>
internal static class RunWindows
{
    public static IReadOnlyList<RunWindow> Of(RunRecord record, double windowMs)
    {
        var log = record.Log;
        if (log.Count == 0)
        {
            return [];
        }

        var count = (int)Math.Ceiling(log.SentMs.Max() / windowMs);
        var arrivals = new int[Math.Max(count, 1)];
        var overdue = new int[arrivals.Length];
        for (var i = 0; i < log.Count; i++)
        {
            var window = Math.Min((int)(log.SentMs[i] / windowMs), arrivals.Length - 1);
            arrivals[window]++;
            if (log.Status[i] == PredictionStatus.Overdue || log.Late[i])
            {
                overdue[window]++;
            }
        }

        var windows = new RunWindow[arrivals.Length];
        for (var w = 0; w < windows.Length; w++)
        {
            windows[w] = new RunWindow(
                w * windowMs,
                arrivals[w] * 1000 / windowMs,
                arrivals[w] == 0 ? 0 : (double)overdue[w] / arrivals[w],
                MeanBatchSize(record.Samples, w));
        }

        return windows;
    }

    /// <summary>
    /// Returns the mean size of the batches started in window <paramref name="window"/>, from the difference of the
    /// job's cumulative batch counters sampled at the window's start and end. The sampler takes sample k at the
    /// start of window k, or later when a status request is slow.
    /// </summary>
    private static double MeanBatchSize(IReadOnlyList<StatusSample> samples, int window)
    {
        var first = samples[Math.Min(window, samples.Count - 1)];
        var last = samples[Math.Min(window + 1, samples.Count - 1)];
        long batches = 0;
        long requests = 0;
        foreach (var (size, total) in last.BatchSizeCounts)
        {
            var delta = total - first.BatchSizeCounts.GetValueOrDefault(size);
            batches += delta;
            requests += delta * size;
        }

        return batches == 0 ? 0 : (double)requests / batches;
    }
}
