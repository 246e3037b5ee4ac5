using Rafiki.Batching.Latency;
using Rafiki.Batching.Queueing;

namespace Rafiki.Batching.Simulation;

/// <summary>
/// A deterministic discrete-event simulation, in virtual time, of one router and one model that runs one batch at a
/// time. It drives the same <see cref="BatchScheduler{T}"/> that the router uses: every arrival, completion and timer
/// is followed by a poll, and the batch latencies come from an <see cref="IBatchLatencyFunction"/>.
/// </summary>
public static class BatchingSimulator
{
    /// <summary>Runs the simulation and returns its metrics.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public static SimulationReport Run(SimulationSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        setup.Validate();

        // Separate streams keep the arrivals identical across policies, whose latency draws differ in number.
        var arrivalRandom = new Random(setup.Seed);
        var latencyRandom = new Random(DeriveSeed(setup.Seed, 1));
        var warmupRandom = new Random(DeriveSeed(setup.Seed, 2));

        var latencyModel = new BatchLatencyModel(MeasureWarmup(setup, warmupRandom), setup.LatencyModelOptions);
        var scheduler = new BatchScheduler<int>(setup.PolicyName, setup.Options, latencyModel);
        var recorder = new SimulationRecorder(setup.DurationMs, setup.WindowMs, setup.Options.MaxBatchSize);

        using var arrivals = setup.Arrivals.ArrivalTimesMs(arrivalRandom).GetEnumerator();
        var nextArrivalMs = NextArrival(arrivals, setup.DurationMs);
        var completionMs = double.PositiveInfinity;
        var wakeMs = double.PositiveInfinity;
        var endMs = 0.0;
        while (true)
        {
            var nowMs = Math.Min(nextArrivalMs, Math.Min(completionMs, wakeMs));
            if (double.IsPositiveInfinity(nowMs))
            {
                break;
            }

            // Simultaneous events run in a fixed order (completion, arrival, timer) so runs are reproducible.
            if (nowMs == completionMs)
            {
                var completed = scheduler.Complete(scheduler.RunningBatch!.Id, nowMs);
                recorder.RecordFinished(completed.Requests);
                completionMs = double.PositiveInfinity;
                endMs = nowMs;
            }
            else if (nowMs == nextArrivalMs)
            {
                scheduler.Enqueue(recorder.RecordArrival(nowMs), nowMs);
                nextArrivalMs = NextArrival(arrivals, setup.DurationMs);
            }

            var step = scheduler.Poll(nowMs);
            recorder.RecordFinished(step.Rejected);
            if (step.Rejected.Count > 0)
            {
                endMs = nowMs;
            }

            if (step.Batch is { } batch)
            {
                var latencyMs = setup.Latency.SampleMs(batch.Size, latencyRandom);
                recorder.RecordBatchStart(batch, latencyMs);
                completionMs = nowMs + latencyMs;
            }

            // Like a router, replace any earlier timer with the one this poll requests.
            wakeMs = step.WakeAtMs is { } wakeAtMs
                ? RoundUpToTick(wakeAtMs, setup.TimerResolutionMs)
                : double.PositiveInfinity;
        }

        var counts = scheduler.Counts;
        if (counts.Finished != counts.Accepted)
        {
            throw new InvalidOperationException(
                $"The simulation stopped with {counts.Accepted - counts.Finished} accepted requests unfinished: "
                + $"policy '{setup.PolicyName}' left requests queued with no batch running and no wake-up set.");
        }

        return recorder.ToReport(setup, counts, endMs);
    }

    private static IReadOnlyDictionary<int, double> MeasureWarmup(SimulationSetup setup, Random random)
    {
        if (setup.WarmupRuns > 0)
        {
            return SimulatedWarmup.Measure(
                setup.Latency,
                setup.Options.MaxBatchSize,
                setup.WarmupRuns,
                setup.LatencyModelOptions.Percentile,
                random);
        }

        return BatchLatencyModel.WarmupBatchSizes(setup.Options.MaxBatchSize)
            .ToDictionary(size => size, setup.Latency.MeanMs);
    }

    private static double NextArrival(IEnumerator<double> arrivals, double durationMs) =>
        arrivals.MoveNext() && arrivals.Current <= durationMs ? arrivals.Current : double.PositiveInfinity;

    private static double RoundUpToTick(double timeMs, double tickMs) =>
        tickMs > 0 ? Math.Ceiling(timeMs / tickMs) * tickMs : timeMs;

    /// <summary>
    /// Mixes the seed and a stream number with the SplitMix64 finalizer. HashCode.Combine would not do, because it
    /// is randomized per process and would break reproducibility across runs.
    /// </summary>
    private static int DeriveSeed(int seed, int stream)
    {
        unchecked
        {
            var mixed = ((ulong)(uint)seed << 32) | (uint)stream;
            mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9UL;
            mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBUL;
            mixed ^= mixed >> 31;
            return (int)(mixed & int.MaxValue);
        }
    }
}
