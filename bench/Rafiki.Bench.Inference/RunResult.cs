using Rafiki.Inference;

namespace Rafiki.Bench.Inference;

/// <summary>One window of a run's time series.</summary>
/// <param name="StartMs">Start of the window on the run's clock.</param>
/// <param name="ArrivalRatePerSecond">Requests sent in the window, per second.</param>
/// <param name="OverdueRatio">Share of the requests sent in the window that were served late or answered overdue.</param>
/// <param name="MeanBatchSize">Mean size of the batches the job started in the window; 0 when none started.</param>
internal sealed record RunWindow(double StartMs, double ArrivalRatePerSecond, double OverdueRatio, double MeanBatchSize);

/// <summary>Metrics of one policy on one workload, computed from the request log and the job's status.</summary>
internal sealed class RunResult
{
    public RunResult(string policy, string workload, RunRecord record, IReadOnlyList<int> labels, double tauMs, double windowMs)
    {
        Policy = policy;
        Workload = workload;
        Record = record;
        var log = record.Log;
        Offered = log.Count;
        var predicted = Enumerable.Range(0, log.Count).Where(i => log.Status[i] == PredictionStatus.Ok).ToList();
        Predicted = predicted.Count;
        Late = predicted.Count(i => log.Late[i]);
        Overdue = log.Status.Count(status => status == PredictionStatus.Overdue);
        Rejected = log.Status.Count(status => status == PredictionStatus.Rejected);
        Failed = log.Status.Count(status => status == PredictionStatus.Failed);
        Correct = predicted.Count(i => log.Labels[i] == labels[i % labels.Count]);
        var latencies = predicted.Select(i => log.AnsweredMs[i] - log.SentMs[i]).Order().ToList();
        P50Ms = Percentiles.Of(latencies, 0.50);
        P95Ms = Percentiles.Of(latencies, 0.95);
        P99Ms = Percentiles.Of(latencies, 0.99);
        ClientOverTau = Overdue + predicted.Count(i => log.AnsweredMs[i] - log.SentMs[i] > tauMs);
        var lastReplyMs = log.Count == 0 ? 0 : log.AnsweredMs.Max();
        var firstSendMs = log.Count == 0 ? 0 : log.SentMs[0];
        ThroughputPerSecond = lastReplyMs > firstSendMs ? Predicted * 1000 / (lastReplyMs - firstSendMs) : 0;
        Windows = RunWindows.Of(record, windowMs);
    }

    public string Policy { get; }

    public string Workload { get; }

    public RunRecord Record { get; }

    public int Offered { get; }

    /// <summary>Requests answered with a prediction, late ones included.</summary>
    public int Predicted { get; }

    /// <summary>Predictions the router marked late.</summary>
    public int Late { get; }

    /// <summary>Requests answered overdue without a prediction.</summary>
    public int Overdue { get; }

    public int Rejected { get; }

    public int Failed { get; }

    public int Correct { get; }

    public double P50Ms { get; }

    public double P95Ms { get; }

    public double P99Ms { get; }

    /// <summary>Overdue answers plus predictions whose latency at the load generator exceeded tau.</summary>
    public int ClientOverTau { get; }

    /// <summary>Predictions per second from the first request sent to the last reply received.</summary>
    public double ThroughputPerSecond { get; }

    public IReadOnlyList<RunWindow> Windows { get; }

    /// <summary>Share of offered requests served late or answered overdue, as the router judged them.</summary>
    public double OverdueRatio => Ratio(Late + Overdue);

    public double ClientOverTauRatio => Ratio(ClientOverTau);

    public double RejectedRatio => Ratio(Rejected);

    public double Accuracy => Predicted == 0 ? 0 : (double)Correct / Predicted;

    public IReadOnlyDictionary<int, long> BatchSizeCounts => Record.FinalStatus.BatchSizeCounts;

    public long Batches => BatchSizeCounts.Values.Sum();

    public double MeanBatchSize => Batches == 0 ? 0 : BatchSizeCounts.Sum(pair => (double)pair.Key * pair.Value) / Batches;

    private double Ratio(int count) => Offered == 0 ? 0 : (double)count / Offered;
}
