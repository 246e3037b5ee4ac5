using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Bench.Inference;

/// <summary>Batch-size counters of a job at one moment of a run.</summary>
internal sealed record StatusSample(double TimeMs, IReadOnlyDictionary<int, long> BatchSizeCounts);

/// <summary>The request log of one run, the job's batch counters over time, and its status at the end.</summary>
internal sealed record RunRecord(RequestLog Log, IReadOnlyList<StatusSample> Samples, InferenceJobStatus FinalStatus);

/// <summary>
/// Open-loop load: a dedicated thread sends each request at its arrival time whether or not earlier requests have
/// been answered, and an actor collects the replies. Sleeping has a resolution of about 1 ms, so requests due
/// within the next millisecond go out together, up to 1 ms early.
/// </summary>
internal static class LoadGenerator
{
    /// <summary>Time after the last arrival within which every reply must arrive.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public static async Task<RunRecord> RunAsync(
        ActorSystem system, IActorRef jobs, string jobId, double[] arrivalsMs, byte[][] images, double windowMs)
    {
        var log = new RequestLog(arrivalsMs.Length);
        var requestIds = Enumerable.Range(0, arrivalsMs.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clockStart = Stopwatch.GetTimestamp();
        var collector = system.ActorOf(ReplyCollector.Props(log, clockStart, completion));
        using var sampling = new CancellationTokenSource();
        var samples = new List<StatusSample>();
        var sampler = SampleAsync(jobs, jobId, clockStart, windowMs, samples, sampling.Token);

        var sender = new Thread(() =>
        {
            for (var i = 0; i < arrivalsMs.Length; i++)
            {
                while (arrivalsMs[i] - Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds > 1)
                {
                    Thread.Sleep(1);
                }

                log.SentMs[i] = Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds;
                jobs.Tell(new Predict(jobId, requestIds[i], images[i % images.Length]), collector);
            }
        })
        {
            IsBackground = true,
            Name = "load-generator",
        };
        sender.Start();

        var arrivalPeriod = TimeSpan.FromMilliseconds(arrivalsMs.Length == 0 ? 0 : arrivalsMs[^1]);
        if (arrivalsMs.Length > 0)
        {
            await completion.Task.WaitAsync(arrivalPeriod + DrainTimeout);
        }

        sender.Join();
        await sampling.CancelAsync();
        await sampler;
        var final = await jobs.Ask<InferenceJobStatus>(new GetInferenceJob(jobId), TimeSpan.FromSeconds(10));
        samples.Add(new StatusSample(Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds, final.BatchSizeCounts));
        system.Stop(collector);
        return new RunRecord(log, samples, final);
    }

    /// <summary>Records the job's batch counters at the start of every window until cancelled.</summary>
    private static async Task SampleAsync(
        IActorRef jobs, string jobId, long clockStart, double windowMs, List<StatusSample> samples, CancellationToken cancellation)
    {
        for (var window = 0; !cancellation.IsCancellationRequested; window++)
        {
            var delayMs = (window * windowMs) - Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds;
            try
            {
                if (delayMs > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(delayMs), cancellation);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var status = await jobs.Ask<InferenceJobStatus>(new GetInferenceJob(jobId), TimeSpan.FromSeconds(10), CancellationToken.None);
            samples.Add(new StatusSample(Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds, status.BatchSizeCounts));
        }
    }
}
