using System.Globalization;
using System.Net;
using System.Text.Json;
using Rafiki.Api.Endpoints;
using Rafiki.Client;
using Rafiki.Client.Contracts;
using Rafiki.Inference;

namespace Rafiki.Api.Tests;

/// <summary>
/// Latency targets over HTTP. The overdue cases deploy a latency target of 1 microsecond, far below any batch
/// latency, so every request is overdue the moment it reaches the router and the overdue action alone decides
/// the response.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LatencyTargetTests(ApiFixture fixture)
{
    private const double UnreachableTauMs = 0.001;

    private static byte[] Image(int index) => FashionFiles.TestImages.Image(index).ToArray();

    [Fact]
    public void Null_settings_take_server_defaults()
    {
        var defaults = new InferenceJobSettings();

        var settings = fixture.InferenceJob.Settings;

        Assert.Equal(defaults.TauMs, settings.TauMs);
        Assert.Equal(defaults.Policy, settings.Policy);
        Assert.Equal(defaults.MarginMs, settings.MarginMs);
        Assert.Equal(defaults.MaxWaitMs, settings.MaxWaitMs);
        Assert.Equal(defaults.MaxBatchSize, settings.MaxBatchSize);
        Assert.Equal(defaults.QueueLimit, settings.QueueLimit);
        Assert.Equal("serve-late", settings.OverdueAction);
        Assert.Equal(10 * defaults.TauMs, settings.MaxLateMs);
    }

    [Fact]
    public void Shown_default_lateness_is_accepted_again()
    {
        var view = InferenceJobViews.ToView(InferenceJobViews.ToSettings(new InferenceJobSettingsView(TauMs: 400_000)));

        var again = InferenceJobViews.ToView(InferenceJobViews.ToSettings(view));

        Assert.Equal(3_600_000, view.MaxLateMs);
        Assert.Equal(view, again);
    }

    [Fact]
    public async Task Explicit_settings_read_back_with_statistics()
    {
        var settings = new InferenceJobSettingsView(
            MaxBatchSize: 16, MaxWaitMs: 2, QueueLimit: 256, TauMs: 5000, Policy: "fixed-wait", MarginMs: 1.5,
            OverdueAction: "reject", MaxLateMs: 250);
        var created = await fixture.Alice.CreateInferenceJobAsync(
            new CreateInferenceJobRequest(fixture.TrainJob.Id, Settings: settings));
        try
        {
            var predictions = await fixture.Alice.PredictManyAsync(created.Id, Enumerable.Range(0, 4).Select(Image));
            var job = await fixture.Alice.GetInferenceJobAsync(created.Id);

            Assert.Equal(settings, created.Settings);
            Assert.Equal(settings, job.Settings);
            Assert.All(predictions, prediction => Assert.False(prediction.Late));
            var statistics = job.Statistics!;
            Assert.Equal(4, statistics.Answered);
            Assert.Equal(0, statistics.ServedLate);
            Assert.Equal(0, statistics.Overdue);
            Assert.Equal(4, statistics.BatchSizeCounts.Sum(pair => pair.Key * pair.Value));
            var latency = statistics.Latency;
            Assert.Equal(4, latency.Count);
            Assert.True(latency.P50Ms > 0, $"p50 {latency.P50Ms} ms");
            Assert.True(latency.P50Ms <= latency.P95Ms, $"p50 {latency.P50Ms} ms is above p95 {latency.P95Ms} ms");
            Assert.True(latency.P95Ms <= latency.P99Ms, $"p95 {latency.P95Ms} ms is above p99 {latency.P99Ms} ms");
            Assert.NotEmpty(statistics.EstimatedBatchLatenciesMs);
            Assert.All(statistics.EstimatedBatchLatenciesMs.Values, estimate => Assert.True(estimate > 0, $"c(b) {estimate} ms"));

            var model = Assert.Single(statistics.Models);
            Assert.Equal(0, model.Index);
            Assert.Equal(fixture.TrainJob.BestTrial!.Id, model.TrialId);
            Assert.StartsWith("akka", model.Node, StringComparison.Ordinal);
            Assert.Contains("@", model.Node!, StringComparison.Ordinal);
            Assert.StartsWith("akka", model.ActorPath, StringComparison.Ordinal);
            Assert.NotEmpty(model.WarmupLatenciesMs);
            Assert.All(model.WarmupLatenciesMs.Values, warmup => Assert.True(warmup > 0, $"warm-up latency {warmup} ms"));
        }
        finally
        {
            await fixture.Alice.StopInferenceJobAsync(created.Id);
        }
    }

    [Fact]
    public async Task Overdue_reject_answers_503_on_both_paths()
    {
        var job = await DeployUnreachableAsync("reject");
        try
        {
            var rafiki = await Assert.ThrowsAsync<RafikiApiException>(() => fixture.Alice.PredictAsync(job.Id, Image(0)));
            var v2 = await Assert.ThrowsAsync<RafikiApiException>(
                () => fixture.Alice.InferV2Async(job.Id, V2Request(Image(1))));
            var statistics = (await fixture.Alice.GetInferenceJobAsync(job.Id)).Statistics!;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, rafiki.Status);
            Assert.Equal(TimeSpan.FromSeconds(1), rafiki.RetryAfter);
            Assert.Equal(503, rafiki.Problem!.Status);
            Assert.Contains("latency target tau of 0.001 ms", rafiki.Problem.Detail, StringComparison.Ordinal);
            Assert.Contains("settings.overdueAction serve-late", rafiki.Problem.Detail, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, v2.Status);
            Assert.Equal(TimeSpan.FromSeconds(1), v2.RetryAfter);
            Assert.Contains("latency target tau", v2.Problem!.Extensions!["error"].GetString(), StringComparison.Ordinal);
            Assert.Equal(2, statistics.Overdue);
            Assert.Equal(0, statistics.Answered);
            Assert.Empty(statistics.BatchSizeCounts);
        }
        finally
        {
            await fixture.Alice.StopInferenceJobAsync(job.Id);
        }
    }

    [Fact]
    public async Task Serve_late_flags_late_predictions()
    {
        var job = await DeployUnreachableAsync("serve-late", maxLateMs: 60_000);
        try
        {
            var predictions = await fixture.Alice.PredictManyAsync(job.Id, Enumerable.Range(0, 3).Select(Image));
            var statistics = (await fixture.Alice.GetInferenceJobAsync(job.Id)).Statistics!;

            Assert.Equal(3, predictions.Count);
            Assert.All(predictions, prediction => Assert.True(prediction.Late));
            Assert.All(predictions, prediction => Assert.Equal(10, prediction.Probabilities.Count));
            Assert.Equal(3, statistics.Answered);
            Assert.Equal(3, statistics.ServedLate);
            Assert.Equal(0, statistics.Overdue);
        }
        finally
        {
            await fixture.Alice.StopInferenceJobAsync(job.Id);
        }
    }

    [Fact]
    public async Task Serve_late_past_max_lateness_answers_503()
    {
        // The default maximum lateness of 10 x tau would also expire every request, but 2 microseconds is easy to
        // find in the message.
        var job = await DeployUnreachableAsync("serve-late", maxLateMs: 0.002);
        try
        {
            var rafiki = await Assert.ThrowsAsync<RafikiApiException>(() => fixture.Alice.PredictAsync(job.Id, Image(0)));
            var statistics = (await fixture.Alice.GetInferenceJobAsync(job.Id)).Statistics!;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, rafiki.Status);
            Assert.Equal(TimeSpan.FromSeconds(1), rafiki.RetryAfter);
            Assert.Contains("settings.maxLateMs of 0.002 ms or more after", rafiki.Problem!.Detail, StringComparison.Ordinal);
            Assert.Contains("latency target tau of 0.001 ms", rafiki.Problem.Detail, StringComparison.Ordinal);
            Assert.Contains("with a larger settings.maxLateMs or settings.tauMs", rafiki.Problem.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("overdueAction serve-late", rafiki.Problem.Detail, StringComparison.Ordinal);
            Assert.Equal(1, statistics.Overdue);
            Assert.Equal(0, statistics.Answered);
        }
        finally
        {
            await fixture.Alice.StopInferenceJobAsync(job.Id);
        }
    }

    [Fact]
    public async Task Metrics_count_overdue_until_job_stops()
    {
        var job = await DeployUnreachableAsync("reject");
        var stopped = false;
        try
        {
            await Assert.ThrowsAsync<RafikiApiException>(() => fixture.Alice.PredictAsync(job.Id, Image(2)));
            var running = await ScrapeAsync();
            await fixture.Alice.StopInferenceJobAsync(job.Id);
            stopped = true;
            var afterStop = await ScrapeAsync();

            Assert.Equal(1, Value(running, $"rafiki_inference_overdue_total{{job=\"{job.Id}\",outcome=\"rejected\"}}"));
            Assert.Equal(0, Value(running, $"rafiki_inference_overdue_total{{job=\"{job.Id}\",outcome=\"served-late\"}}"));
            Assert.True(Value(running, "rafiki_api_predict_overdue_total{protocol=\"rafiki\"}") >= 1);
            Assert.Contains("# HELP rafiki_inference_overdue_total", running, StringComparison.Ordinal);
            Assert.DoesNotContain($"job=\"{job.Id}\"", afterStop, StringComparison.Ordinal);
        }
        finally
        {
            if (!stopped)
            {
                await fixture.Alice.StopInferenceJobAsync(job.Id);
            }
        }
    }

    [Fact]
    public async Task Request_over_queue_limit_is_invalid()
    {
        var job = await fixture.Alice.CreateInferenceJobAsync(new CreateInferenceJobRequest(
            fixture.TrainJob.Id, Settings: new InferenceJobSettingsView(QueueLimit: 4)));
        try
        {
            var rafiki = await Assert.ThrowsAsync<RafikiApiException>(
                () => fixture.Alice.PredictManyAsync(job.Id, Enumerable.Range(0, 5).Select(Image)));
            var statistics = (await fixture.Alice.GetInferenceJobAsync(job.Id)).Statistics!;

            Assert.Equal(HttpStatusCode.BadRequest, rafiki.Status);
            Assert.Contains("settings.queueLimit", rafiki.Problem!.Detail, StringComparison.Ordinal);
            Assert.Contains("of 4", rafiki.Problem.Detail, StringComparison.Ordinal);
            Assert.Equal(0, statistics.Answered);
            Assert.Equal(0, statistics.Rejected);
        }
        finally
        {
            await fixture.Alice.StopInferenceJobAsync(job.Id);
        }
    }

    private Task<InferenceJobView> DeployUnreachableAsync(string overdueAction, double? maxLateMs = null) =>
        fixture.Alice.CreateInferenceJobAsync(new CreateInferenceJobRequest(
            fixture.TrainJob.Id,
            Settings: new InferenceJobSettingsView(
                TauMs: UnreachableTauMs, MarginMs: 0, OverdueAction: overdueAction, MaxLateMs: maxLateMs)));

    private static V2InferRequest V2Request(byte[] image)
    {
        var pixels = JsonSerializer.SerializeToElement(image.Select(pixel => (int)pixel));
        return new V2InferRequest("overdue-1", [new V2Tensor("images", [1, 1, 28, 28], "UINT8", pixels)]);
    }

    private async Task<string> ScrapeAsync()
    {
        var token = (await fixture.NewClient().LoginAsync("admin", ApiFixture.AdminPassword)).Token;
        using var http = fixture.NewHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    // Returns the value of one series in the Prometheus text format, or NaN when the series is missing.
    private static double Value(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(line => line.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null
            ? double.NaN
            : double.Parse(line[(series.Length + 1)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
