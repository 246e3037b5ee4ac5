using Rafiki.Inference;

namespace Rafiki.Bench.Inference;

/// <summary>One window of a run's time series.</summary>
/// <param name="StartMs">Start of the window on the run's clock.</param>
/// <param name="ArrivalRatePerSecond">Requests sent in the window, per second.</param>
/// <param name="OverdueRatio">Share of the requests sent in the window that were served late or answered overdue.</param>
/// <param name="MeanBatchSize">Mean size of the batches the job started in the window; 0 when none started.</param>
internal sealed record RunWindow(double StartMs, double ArrivalRatePerSecond, double OverdueRatio, double MeanBatchSize);

/// <summary>
/// Metrics of one policy on one workload, added up over the repetitions of the run, computed from the request logs
/// and the jobs' status.
/// </summary>
internal sealed class RunResult
{
    public RunResult(
        string policy, string workload, IReadOnlyList<RunRecord> records, IReadOnlyList<int> labels, double tauMs, double windowMs)
    {
        Policy = policy;
        Workload = workload;
        var latencies = new List<double>();
        var busyMs = 0.0;
        var batchSizeCounts = new SortedDictionary<int, long>();
        foreach (var record in records)
        {
            var log = record.Log;
            Offered += log.Count;
            for (var i = 0; i < log.Count; i++)
            {
                var latencyMs = log.AnsweredMs[i] - log.SentMs[i];
                switch (log.Status[i])
                {
                    case PredictionStatus.Ok:
                        Predicted++;
                        latencies.Add(latencyMs);
                        Late += log.Late[i] ? 1 : 0;
                        Correct += log.Labels[i] == labels[i % labels.Count] ? 1 : 0;
                        ClientOverTau += latencyMs > tauMs ? 1 : 0;
                        break;
                    case PredictionStatus.Overdue:
                        Overdue++;
                        ClientOverTau++;
                        break;
                    case PredictionStatus.Rejected:
                        Rejected++;
                        break;
                    default:
                        Failed++;
                        break;
                }
            }

            if (log.Count > 0)
            {
                busyMs += log.AnsweredMs.Max() - log.SentMs[0];
            }

            foreach (var (size, count) in record.FinalStatus.BatchSizeCounts)
            {
                batchSizeCounts[size] = batchSizeCounts.GetValueOrDefault(size) + count;
            }

            WakeUpLagP99Ms = Math.Max(WakeUpLagP99Ms, record.FinalStatus.WakeUpLag.P99Ms);
        }

        latencies.Sort();
        P50Ms = Percentiles.Of(latencies, 0.50);
        P95Ms = Percentiles.Of(latencies, 0.95);
        P99Ms = Percentiles.Of(latencies, 0.99);
        ThroughputPerSecond = busyMs > 0 ? Predicted * 1000 / busyMs : 0;
        BatchSizeCounts = batchSizeCounts;
        Windows = RunWindows.Of(records, windowMs);
    }

    public string Policy { get; }

    public string Workload { get; }

    public int Offered { get; private set; }

    /// <summary>Requests answered with a prediction, late ones included.</summary>
    public int Predicted { get; private set; }

    /// <summary>Predictions the router marked late.</summary>
    public int Late { get; private set; }

    /// <summary>Requests answered overdue without a prediction.</summary>
    public int Overdue { get; private set; }

    public int Rejected { get; private set; }

    public int Failed { get; private set; }

    public int Correct { get; private set; }

    public double P50Ms { get; }

    public double P95Ms { get; }

    public double P99Ms { get; }

    /// <summary>Overdue answers plus predictions whose latency at the load generator exceeded tau.</summary>
    public int ClientOverTau { get; private set; }

    /// <summary>Predictions per second, from each repetition's first request sent to its last reply received.</summary>
    public double ThroughputPerSecond { get; }

    /// <summary>The highest p99 wake-up lag the router reported over the repetitions.</summary>
    public double WakeUpLagP99Ms { get; private set; }

    /// <summary>
    /// Throughput of the model alone at Bmax, measured right before each repetition and averaged; null when it was
    /// not measured, as for every workload but saturation.
    /// </summary>
    public double? AloneThroughputPerSecond { get; init; }

    public IReadOnlyDictionary<int, long> BatchSizeCounts { get; }

    public IReadOnlyList<RunWindow> Windows { get; }

    /// <summary>Share of offered requests served late or answered overdue, as the router judged them.</summary>
    public double OverdueRatio => Ratio(Late + Overdue);

    public double ClientOverTauRatio => Ratio(ClientOverTau);

    public double RejectedRatio => Ratio(Rejected);

    public double Accuracy => Predicted == 0 ? 0 : (double)Correct / Predicted;

    public long Batches => BatchSizeCounts.Values.Sum();

    public double MeanBatchSize => Batches == 0 ? 0 : BatchSizeCounts.Sum(pair => (double)pair.Key * pair.Value) / Batches;

    private double Ratio(int count) => Offered == 0 ? 0 : (double)count / Offered;
}
