using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference;

/// <summary>
/// What a router counts besides the scheduler's outcome counters: batch sizes, answer latencies, timer lag, and
/// requests it answered without queueing them.
/// </summary>
internal sealed class JobStatistics
{
    /// <summary>Answer latencies kept for percentiles; enough for a stable p99.</summary>
    private const int LatencyWindow = 10_000;

    /// <summary>Wake-up lags kept for percentiles.</summary>
    private const int LagWindow = 1024;

    private readonly SortedDictionary<int, long> _batchSizeCounts = [];
    private readonly RecentLatencies _answerLatencies = new(LatencyWindow);
    private readonly RecentLatencies _wakeUpLags = new(LagWindow);

    /// <summary>Requests answered as failed because their image had the wrong size.</summary>
    public long InvalidRequests { get; private set; }

    /// <summary>Requests rejected because they arrived while the models were loading.</summary>
    public long RejectedWhileDeploying { get; private set; }

    /// <summary>Batches that failed or timed out.</summary>
    public long FailedBatches { get; private set; }

    public void RecordInvalidRequest() => InvalidRequests++;

    public void RecordRejectedWhileDeploying() => RejectedWhileDeploying++;

    public void RecordFailedBatch() => FailedBatches++;

    public void RecordBatch(int size) => _batchSizeCounts[size] = _batchSizeCounts.GetValueOrDefault(size) + 1;

    /// <summary>Records the latency of a request answered with a prediction.</summary>
    public void RecordAnswer(double latencyMs) => _answerLatencies.Add(latencyMs);

    /// <summary>Records how long after its due time a wake-up arrived.</summary>
    public void RecordWakeUpLag(double lagMs) => _wakeUpLags.Add(lagMs);

    public IReadOnlyDictionary<int, long> BatchSizeCounts() => new SortedDictionary<int, long>(_batchSizeCounts);

    public LatencyPercentiles AnswerLatency() => _answerLatencies.Percentiles();

    public LatencyPercentiles WakeUpLag() => _wakeUpLags.Percentiles();
}
