using Rafiki.Batching.Queueing;

namespace Rafiki.Batching.Simulation;

/// <summary>Results of one simulated run. Times are virtual.</summary>
/// <param name="PolicyName">The policy simulated.</param>
/// <param name="ArrivalsName">Name of the arrival process.</param>
/// <param name="Counts">Counters of every request offered.</param>
/// <param name="EndMs">Time at which the last accepted request ended.</param>
/// <param name="BusyMs">Total time the model spent running batches.</param>
/// <param name="Latency">Latencies of the requests that ran, late ones included; rejected ones have none.</param>
/// <param name="BatchSizeCounts">Number of batches of each size; index 0 is unused.</param>
/// <param name="Windows">Time series over the arrival period, one entry per window.</param>
public sealed record SimulationReport(
    string PolicyName,
    string ArrivalsName,
    OutcomeCounts Counts,
    double EndMs,
    double BusyMs,
    LatencySummary Latency,
    IReadOnlyList<long> BatchSizeCounts,
    IReadOnlyList<SimulationWindow> Windows)
{
    /// <summary>Requests that ran (answered or served late) per second of virtual time.</summary>
    public double ThroughputPerSecond => Rate(Counts.Answered + Counts.OverdueServedLate);

    /// <summary>Requests answered within the latency target per second of virtual time.</summary>
    public double GoodputPerSecond => Rate(Counts.Answered);

    /// <summary>Fraction of offered requests that were served late or rejected as overdue.</summary>
    public double OverdueRatio => Ratio(Counts.OverdueServedLate + Counts.OverdueRejected);

    /// <summary>Fraction of offered requests rejected because the queue was full.</summary>
    public double RejectedRatio => Ratio(Counts.RejectedQueueFull);

    /// <summary>Fraction of the run during which the model was running a batch.</summary>
    public double BusyFraction => EndMs > 0 ? BusyMs / EndMs : 0;

    /// <summary>Number of batches run.</summary>
    public long BatchCount => BatchSizeCounts.Sum();

    /// <summary>Mean batch size; 0 when no batch ran.</summary>
    public double MeanBatchSize
    {
        get
        {
            var batches = BatchCount;
            var requests = BatchSizeCounts.Select((count, size) => count * size).Sum();
            return batches == 0 ? 0 : (double)requests / batches;
        }
    }

    private double Rate(long requests) => EndMs > 0 ? requests * 1000 / EndMs : 0;

    private double Ratio(long requests) => Counts.Offered > 0 ? (double)requests / Counts.Offered : 0;
}
