using System.Diagnostics;

namespace Rafiki.Bench.Http;

/// <summary>Latency percentiles and throughput of one measured run.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="ImagesPerRequest">Images in each request.</param>
/// <param name="Concurrency">Requests in flight at once.</param>
/// <param name="Seconds">Wall-clock time of the run.</param>
/// <param name="P50Ms">Median request latency in milliseconds.</param>
/// <param name="P99Ms">99th-percentile request latency in milliseconds.</param>
public sealed record RunResult(string Name, int Requests, int ImagesPerRequest, int Concurrency, double Seconds, double P50Ms, double P99Ms)
{
    /// <summary>Images classified per second.</summary>
    public double ImagesPerSecond => Requests * ImagesPerRequest / Seconds;
}

/// <summary>Sends a fixed number of requests with a fixed number in flight and records each latency.</summary>
public static class LoadRun
{
    /// <summary>Runs <paramref name="send"/> for request numbers 0 to <paramref name="requests"/> - 1.</summary>
    public static async Task<RunResult> RunAsync(
        string name, int requests, int imagesPerRequest, int concurrency, Func<int, Task> send)
    {
        var latencies = new double[requests];
        var next = -1;
        var total = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                await send(index);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        });
        await Task.WhenAll(workers);
        var seconds = total.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new RunResult(name, requests, imagesPerRequest, concurrency, seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    /// <summary>
    /// Sends <paramref name="pairs"/> pairs of requests one at a time, <paramref name="first"/> then
    /// <paramref name="second"/>, and returns the median of the latency differences (second minus first). Both
    /// requests of a pair see the same machine load, so the difference is steadier than comparing two runs.
    /// </summary>
    public static async Task<(double MedianDifferenceMs, double FirstP50Ms, double SecondP50Ms)> RunPairedAsync(
        int pairs, Func<int, Task> first, Func<int, Task> second)
    {
        var differences = new double[pairs];
        var firsts = new double[pairs];
        var seconds = new double[pairs];
        for (var i = 0; i < pairs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await first(i);
            firsts[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            started = Stopwatch.GetTimestamp();
            await second(i);
            seconds[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            differences[i] = seconds[i] - firsts[i];
        }

        Array.Sort(differences);
        Array.Sort(firsts);
        Array.Sort(seconds);
        return (Percentile(differences, 0.5), Percentile(firsts, 0.5), Percentile(seconds, 0.5));
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
