using Prometheus;

namespace Rafiki.Api.Metrics;

/// <summary>
/// The Prometheus collectors of one API server, in a registry of its own so that several servers in one process
/// (tests, benchmarks) keep separate counts. <see cref="NodeMetricsCollector"/> fills the study, trial and
/// inference gauges from the actors at each scrape; the predict counters are fed by the API itself.
/// </summary>
public sealed class ApiMetrics
{
    public ApiMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Studies = factory.CreateGauge("rafiki_studies", "Studies in the study registry, by state.", "state");
        Trials = factory.CreateGauge("rafiki_trials", "Trials of the registered studies, by state.", "state");
        InferenceQueueLength = factory.CreateGauge(
            "rafiki_inference_queue_length", "Prediction requests waiting in an inference job's queue.", "job");
        InferenceAnswered = factory.CreateCounter("rafiki_inference_answered_total", "Predictions an inference job answered.", "job");
        InferenceRejected = factory.CreateCounter(
            "rafiki_inference_rejected_total", "Prediction requests an inference job rejected because its queue was full.", "job");
        InferenceFailed = factory.CreateCounter("rafiki_inference_failed_total", "Prediction requests that failed in an inference job.", "job");
        InferenceBatches = factory.CreateCounter("rafiki_inference_batches_total", "Batches an inference job ran, by batch size.", "job", "size");
        InferenceOverdue = factory.CreateCounter(
            "rafiki_inference_overdue_total", "Predictions answered after their latency target, per inference job.", "job");
        PredictQueries = factory.CreateCounter("rafiki_api_predict_queries_total", "Images sent for prediction over HTTP, by protocol.", "protocol");
        PredictRejected = factory.CreateCounter(
            "rafiki_api_predict_rejected_total", "Predict requests answered with 429 because a queue was full, by protocol.", "protocol");
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
    /// Overdue predictions per job. NOTE: inference jobs do not report overdue requests yet, so nothing feeds this
    /// counter; a batching policy with latency targets is expected to call <c>WithLabels(job).Inc()</c>.
    /// </summary>
    public Counter InferenceOverdue { get; }

    public Counter PredictQueries { get; }

    public Counter PredictRejected { get; }

    public Histogram QueriesPerRequest { get; }

    /// <summary>Counts one predict request of <paramref name="queries"/> images.</summary>
    public void RecordPredictRequest(string protocol, int queries)
    {
        PredictQueries.WithLabels(protocol).Inc(queries);
        QueriesPerRequest.WithLabels(protocol).Observe(queries);
    }

    /// <summary>Counts one predict request rejected with 429.</summary>
    public void RecordRejected(string protocol) => PredictRejected.WithLabels(protocol).Inc();
}
