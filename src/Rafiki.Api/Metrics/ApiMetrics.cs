using Prometheus;

namespace Rafiki.Api.Metrics;

/// <summary>
/// The Prometheus collectors of one API server, in a registry of its own so that several servers in one process
/// (tests, benchmarks) keep separate counts. <see cref="NodeMetricsCollector"/> fills the study, trial and
/// inference gauges from the actors at each scrape; the predict counters are fed by the API itself.
/// </summary>
public sealed class ApiMetrics
{
    /// <summary>Outcome label of <see cref="InferenceOverdue"/> for requests answered with a prediction after tau.</summary>
    public const string OverdueServedLate = "served-late";

    /// <summary>Outcome label of <see cref="InferenceOverdue"/> for requests answered without a prediction.</summary>
    public const string OverdueRejected = "rejected";

    public ApiMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Studies = factory.CreateGauge("rafiki_studies", "Studies in the study registry, by state.", "state");
        Trials = factory.CreateGauge("rafiki_trials", "Trials of the registered studies, by state.", "state");
        InferenceQueueLength = factory.CreateGauge(
            "rafiki_inference_queue_length", "Prediction requests waiting in an inference job's queue.", "job");
        InferenceAnswered = factory.CreateCounter("rafiki_inference_answered_total", "Predictions an inference job answered, late ones included.", "job");
        InferenceRejected = factory.CreateCounter(
            "rafiki_inference_rejected_total", "Prediction requests an inference job rejected because its queue was full.", "job");
        InferenceFailed = factory.CreateCounter("rafiki_inference_failed_total", "Prediction requests that failed in an inference job.", "job");
        InferenceBatches = factory.CreateCounter("rafiki_inference_batches_total", "Batches an inference job ran, by batch size.", "job", "size");
        InferenceOverdue = factory.CreateCounter(
            "rafiki_inference_overdue_total",
            "Prediction requests that missed their inference job's latency target tau, by job and outcome. Outcome "
            + "served-late: answered with a prediction after tau (overdue action serve-late). Outcome rejected: answered "
            + "at once without a prediction, HTTP 503 (overdue action reject, or serve-late once the answer would come "
            + "maxLateMs or more after tau).",
            "job", "outcome");
        PredictQueries = factory.CreateCounter("rafiki_api_predict_queries_total", "Images sent for prediction over HTTP, by protocol.", "protocol");
        PredictRejected = factory.CreateCounter(
            "rafiki_api_predict_rejected_total", "Predict requests answered with 429 because a queue was full, by protocol.", "protocol");
        PredictOverdue = factory.CreateCounter(
            "rafiki_api_predict_overdue_total",
            "Predict requests answered with 503 because a query could no longer meet its job's latency target, by protocol.",
            "protocol");
        QueriesPerRequest = factory.CreateHistogram(
            "rafiki_api_predict_queries_per_request", "Images per HTTP predict request, by protocol.",
            new HistogramConfiguration { LabelNames = ["protocol"], Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
    }

    /// <summary>The registry that <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; } = Prometheus.Metrics.NewCustomRegistry();

    public Gauge Studies { get; }

    public Gauge Trials { get; }

    public Gauge InferenceQueueLength { get; }

    public Counter InferenceAnswered { get; }

    public Counter InferenceRejected { get; }

    public Counter InferenceFailed { get; }

    public Counter InferenceBatches { get; }

    /// <summary>
    /// Requests that missed their job's latency target, by job and outcome: <see cref="OverdueServedLate"/> or
    /// <see cref="OverdueRejected"/>.
    /// </summary>
    public Counter InferenceOverdue { get; }

    public Counter PredictQueries { get; }

    public Counter PredictRejected { get; }

    public Counter PredictOverdue { get; }

    public Histogram QueriesPerRequest { get; }

    /// <summary>Counts one predict request of <paramref name="queries"/> images.</summary>
    public void RecordPredictRequest(string protocol, int queries)
    {
        PredictQueries.WithLabels(protocol).Inc(queries);
        QueriesPerRequest.WithLabels(protocol).Observe(queries);
    }

    /// <summary>Counts one predict request rejected with 429.</summary>
    public void RecordRejected(string protocol) => PredictRejected.WithLabels(protocol).Inc();

    /// <summary>Counts one predict request answered with 503 because a query was overdue.</summary>
    public void RecordOverdue(string protocol) => PredictOverdue.WithLabels(protocol).Inc();
}
