using Rafiki.Inference;

namespace Rafiki.Bench.Inference;

/// <summary>
/// Cuts runs into windows of their clocks, arrivals and overdue requests by send time and batches by sample time,
/// and adds up the repetitions of one policy on one workload window by window. The repetitions replay the same
/// arrival times, so their windows line up.
/// </summary>
internal static class RunWindows
{
    public static IReadOnlyList<RunWindow> Of(IReadOnlyList<RunRecord> records, double windowMs)
    {
        var lastSendMs = records.Where(record => record.Log.Count > 0).Select(record => record.Log.SentMs.Max()).DefaultIfEmpty(0).Max();
        var count = Math.Max(1, (int)Math.Ceiling(lastSendMs / windowMs));
        var arrivals = new long[count];
        var overdue = new long[count];
        var batches = new long[count];
        var batchedRequests = new long[count];
        foreach (var record in records)
        {
            var log = record.Log;
            for (var i = 0; i < log.Count; i++)
            {
                var window = Math.Min((int)(log.SentMs[i] / windowMs), count - 1);
                arrivals[window]++;
                if (log.Status[i] == PredictionStatus.Overdue || log.Late[i])
                {
                    overdue[window]++;
                }
            }

            for (var window = 0; window < count; window++)
            {
                var (started, requests) = BatchesIn(record.Samples, window);
                batches[window] += started;
                batchedRequests[window] += requests;
            }
        }

        var windows = new RunWindow[count];
        for (var w = 0; w < count; w++)
        {
            windows[w] = new RunWindow(
                w * windowMs,
                arrivals[w] * 1000 / windowMs / records.Count,
                arrivals[w] == 0 ? 0 : (double)overdue[w] / arrivals[w],
                batches[w] == 0 ? 0 : (double)batchedRequests[w] / batches[w]);
        }

        return windows;
    }

    /// <summary>
    /// Returns the batches started in window <paramref name="window"/> and their requests, from the difference of
    /// the job's cumulative batch counters sampled at the window's start and end. The sampler takes sample k at the
    /// start of window k, or later when a status request is slow.
    /// </summary>
    private static (long Batches, long Requests) BatchesIn(IReadOnlyList<StatusSample> samples, int window)
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

        return (batches, requests);
    }
}
