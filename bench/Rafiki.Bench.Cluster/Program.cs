using System.Diagnostics;
using System.Globalization;
using Rafiki.Bench.Cluster;

// Usage:
//   dotnet run -c Release --project bench/Rafiki.Bench.Cluster -- scheduling [TRIALS] [WORKERS] [SLOTS_PER_WORKER] [QUEUED_TRIALS]
//   dotnet run -c Release --project bench/Rafiki.Bench.Cluster -- failover [REPEATS]
// QUEUED_TRIALS (default 0) sets the study's budget.queuedTrials: trials started ahead that wait for a free slot.
// Needs the local PostgreSQL server that 'dotnet fsi build.fsx -t Setup' prepares (or RAFIKI_TEST_POSTGRES).
// With RAFIKI_BENCH_LOGS=FILE, scheduling writes every node's log to FILE and the study's events to FILE.events,
// whose timestamps split each trial's time into journal writes, routing, slot grant and report.
var mode = args.FirstOrDefault() ?? "scheduling";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 30} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
var started = Stopwatch.StartNew();
switch (mode)
{
    case "scheduling":
        await SchedulingBenchmark.RunAsync(trials: Arg(1, 2000), workers: Arg(2, 4), slotsPerWorker: Arg(3, 4), queuedTrials: Arg(4, 0));
        break;
    case "failover":
        await FailoverBenchmark.RunAsync(repeats: Arg(1, 5));
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}'; use scheduling or failover.");
        return 2;
}

Console.WriteLine($"benchmark wall time {started.Elapsed.TotalSeconds:F1} s");
return 0;
