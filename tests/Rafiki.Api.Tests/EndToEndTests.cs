using System.Net;
using System.Text.Json;
using Rafiki.Client;
using Rafiki.Client.Contracts;

namespace Rafiki.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class EndToEndTests(ApiFixture fixture)
{
    private static byte[] Image(int index) => FashionFiles.TestImages.Image(index).ToArray();

    [Fact]
    public void Idx_upload_creates_image_dataset()
    {
        var dataset = fixture.TrainIdx;

        Assert.Equal(1200, dataset.Count);
        Assert.Equal((1, 28, 28), (dataset.Channels, dataset.Height, dataset.Width));
        Assert.Equal(TaskNames.ImageClassification, dataset.Task);
        Assert.Equal(DatasetFormats.Idx, dataset.Format);
        Assert.Equal(10, dataset.ClassNames.Count);
    }

    [Fact]
    public void Zip_upload_matches_idx_layout()
    {
        var dataset = fixture.ValidationZip;

        Assert.Equal(400, dataset.Count);
        Assert.Equal((1, 28, 28), (dataset.Channels, dataset.Height, dataset.Width));
        Assert.Equal(DatasetFormats.ImageZip, dataset.Format);
        Assert.Equal(fixture.TrainIdx.ClassNames, dataset.ClassNames);
    }

    [Fact]
    public void Train_job_completes_two_trials()
    {
        var job = fixture.TrainJob;

        Assert.Equal("completed", job.State);
        Assert.Equal(2, job.Trials.Count);
        Assert.All(job.Trials, trial => Assert.Equal("completed", trial.State));
        Assert.All(job.Trials, trial => Assert.Equal([1], trial.History.Select(epoch => epoch.Epoch)));
        Assert.All(job.Trials, trial => Assert.NotEmpty(trial.Knobs));
        Assert.All(job.Trials, trial => Assert.True(trial.Deployable));
        Assert.NotNull(job.BestTrial);
    }

    [Fact]
    public async Task Best_trials_sort_by_accuracy()
    {
        var best = await fixture.Alice.GetBestTrialsAsync(fixture.TrainJob.Id, count: 5);

        Assert.Equal(2, best.Count);
        Assert.True(best[0].ValidationAccuracy >= best[1].ValidationAccuracy);
        Assert.Equal(fixture.TrainJob.BestTrial!.Id, best[0].Id);
    }

    [Fact]
    public async Task Train_job_listing_shows_owner_jobs()
    {
        var alice = await fixture.Alice.ListTrainJobsAsync();
        var bob = await fixture.Bob.ListTrainJobsAsync();
        var admin = await fixture.Admin.ListTrainJobsAsync();

        Assert.Contains(alice, job => job.Id == fixture.TrainJob.Id);
        Assert.DoesNotContain(bob, job => job.Id == fixture.TrainJob.Id);
        Assert.Contains(admin, job => job.Id == fixture.TrainJob.Id);
    }

    [Fact]
    public async Task Dataset_listing_shows_owner_datasets()
    {
        var alice = await fixture.Alice.ListDatasetsAsync();
        var bob = await fixture.Bob.ListDatasetsAsync();
        var admin = await fixture.Admin.ListDatasetsAsync();

        Assert.Contains(alice, dataset => dataset.Id == fixture.TrainIdx.Id);
        Assert.DoesNotContain(alice, dataset => dataset.Id == fixture.BobDataset.Id);
        Assert.DoesNotContain(bob, dataset => dataset.Id == fixture.TrainIdx.Id);
        Assert.Contains(admin, dataset => dataset.Id == fixture.BobDataset.Id);
    }

    [Fact]
    public async Task Rafiki_predict_classifies_test_images()
    {
        const int count = 60;
        var predictions = await fixture.Alice.PredictManyAsync(fixture.InferenceJob.Id, Enumerable.Range(0, count).Select(Image));

        var correct = predictions.Where((prediction, i) => prediction.Label == FashionFiles.TestImages.Labels[i]).Count();
        Assert.Equal(count, predictions.Count);
        Assert.All(predictions, prediction => Assert.Equal(1.0, prediction.Probabilities.Sum(), 3));
        Assert.All(predictions, prediction => Assert.Equal(fixture.TrainIdx.ClassNames[prediction.Label], prediction.ClassName));
        Assert.True(correct > count * 0.3, $"{correct} of {count} correct is near chance");
    }

    [Fact]
    public async Task Predict_accepts_arrays_and_png()
    {
        var raw = await fixture.Alice.PredictAsync(fixture.InferenceJob.Id, Image(7));
        var png = await fixture.Alice.PredictAsync(fixture.InferenceJob.Id, FashionFiles.Png(7));
        var rows = Enumerable.Range(0, 28).Select(row => Image(7).Skip(row * 28).Take(28).Select(pixel => (int)pixel).ToArray()).ToArray();
        var nested = await fixture.Alice.PredictAsync(
            fixture.InferenceJob.Id, new PredictRequest(Query: JsonSerializer.SerializeToElement(rows)));

        Assert.Equal(raw.Probabilities, png.Probabilities);
        Assert.Equal(raw.Probabilities, nested.Prediction!.Probabilities);
    }

    [Fact]
    public async Task KServe_infer_matches_rafiki_predict()
    {
        var images = Enumerable.Range(10, 8).Select(Image).ToList();
        var expected = await fixture.Alice.PredictManyAsync(fixture.InferenceJob.Id, images);
        var pixels = images.SelectMany(image => image.Select(pixel => (int)pixel)).ToArray();

        var response = await fixture.Alice.InferV2Async(fixture.InferenceJob.Id, new V2InferRequest(
            "request-1", [new V2Tensor("images", [8, 1, 28, 28], "UINT8", JsonSerializer.SerializeToElement(pixels))]));

        var labels = response.Outputs.Single(output => output.Name == "label");
        var probabilities = response.Outputs.Single(output => output.Name == "probabilities");
        Assert.Equal(fixture.InferenceJob.Id, response.ModelName);
        Assert.Equal("request-1", response.Id);
        Assert.Equal([8L], labels.Shape);
        Assert.Equal([8L, 10L], probabilities.Shape);
        Assert.Equal(expected.Select(prediction => (long)prediction.Label), labels.Data!.Value.Deserialize<long[]>());
        var late = response.Outputs.Single(output => output.Name == "late");
        Assert.Equal("BOOL", late.Datatype);
        Assert.Equal([8L], late.Shape);
        Assert.Equal(8, late.Data!.Value.Deserialize<bool[]>()!.Length);
    }

    [Fact]
    public async Task KServe_health_and_metadata_answer()
    {
        using var http = fixture.NewHttpClient();
        var live = await http.GetAsync(new Uri("v2/health/live", UriKind.Relative));
        var ready = await http.GetAsync(new Uri("v2/health/ready", UriKind.Relative));
        var modelReady = await fixture.Alice.IsV2ModelReadyAsync(fixture.InferenceJob.Id);
        var metadata = await fixture.Alice.GetV2ModelAsync(fixture.InferenceJob.Id);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(modelReady);
        Assert.Equal([-1L, 1, 28, 28], metadata.Inputs.Single().Shape);
    }

    [Fact]
    public async Task Inference_job_reports_live_statistics()
    {
        await fixture.Alice.PredictManyAsync(fixture.InferenceJob.Id, Enumerable.Range(0, 5).Select(Image));

        var job = await fixture.Alice.GetInferenceJobAsync(fixture.InferenceJob.Id);

        Assert.Equal("running", job.State);
        Assert.Equal([fixture.TrainJob.BestTrial!.Id], job.TrialIds);
        Assert.NotNull(job.Statistics);
        Assert.True(job.Statistics.Answered >= 5);
        Assert.NotEmpty(job.Statistics.BatchSizeCounts);
    }

    [Fact]
    public async Task Ensemble_deploys_and_stops()
    {
        var trialIds = fixture.TrainJob.Trials.Select(trial => trial.Id).ToList();
        var job = await fixture.Alice.CreateInferenceJobAsync(new CreateInferenceJobRequest(fixture.TrainJob.Id, TrialIds: trialIds));
        var prediction = await fixture.Alice.PredictAsync(job.Id, Image(3));

        var stopped = await fixture.Alice.StopInferenceJobAsync(job.Id);
        var afterStop = await Assert.ThrowsAsync<RafikiApiException>(() => fixture.Alice.PredictAsync(job.Id, Image(3)));
        var ready = await fixture.Alice.IsV2ModelReadyAsync(job.Id);

        Assert.Equal(trialIds, job.TrialIds);
        Assert.Equal(10, prediction.Probabilities.Count);
        Assert.Equal("stopped", stopped.State);
        Assert.Equal(HttpStatusCode.Conflict, afterStop.Status);
        Assert.False(ready);
    }

    [Fact]
    public async Task Best_k_deploys_top_trials()
    {
        var job = await fixture.Alice.CreateInferenceJobAsync(new CreateInferenceJobRequest(fixture.TrainJob.Id, BestK: 2));
        await fixture.Alice.StopInferenceJobAsync(job.Id);

        var best = await fixture.Alice.GetBestTrialsAsync(fixture.TrainJob.Id, count: 2);
        Assert.Equal(best.Select(trial => trial.Id), job.TrialIds);
    }

    [Fact]
    public async Task Full_queue_returns_429_with_retry_after()
    {
        // Fixed-wait holds the first request's two images for 2 s, so the queue of 2 is full when the second comes.
        var job = await fixture.Alice.CreateInferenceJobAsync(new CreateInferenceJobRequest(
            fixture.TrainJob.Id,
            Settings: new InferenceJobSettingsView(MaxBatchSize: 8, MaxWaitMs: 2000, QueueLimit: 2, TauMs: 60_000, Policy: "fixed-wait")));
        try
        {
            var first = fixture.Alice.PredictManyAsync(job.Id, Enumerable.Range(0, 2).Select(Image));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while ((await fixture.Alice.GetInferenceJobAsync(job.Id)).Statistics!.QueueLength < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var error = await Assert.ThrowsAsync<RafikiApiException>(
                () => fixture.Alice.PredictManyAsync(job.Id, Enumerable.Range(2, 2).Select(Image)));
            var answered = await first;

            Assert.Equal(HttpStatusCode.TooManyRequests, error.Status);
            Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
            Assert.Contains("queue full", error.Problem!.Detail, StringComparison.Ordinal);
            Assert.Equal(2, answered.Count);
        }
        finally
        {
            await fixture.Alice.StopInferenceJobAsync(job.Id);
        }
    }

    [Fact]
    public async Task Train_job_defaults_to_all_families()
    {
        var narrowing = JsonSerializer.SerializeToElement(new { optimizer = new[] { "adam" } });
        var job = await fixture.Alice.CreateTrainJobAsync(new CreateTrainJobRequest(
            "defaults", TaskNames.ImageClassification, fixture.TrainIdx.Id, fixture.ValidationZip.Id, null, new TrainJobBudget(1, 1),
            Costudy: true, Knobs: new Dictionary<string, JsonElement> { ["small-cnn"] = narrowing }));
        var stopped = await fixture.Alice.StopTrainJobAsync(job.Id);

        Assert.Equal(["small-cnn", "resnet"], job.Models);
        Assert.True(job.Costudy);
        Assert.Equal("gp", job.Advisor);
        Assert.Equal("[\"adam\"]", job.Knobs!["small-cnn"].GetProperty("optimizer").GetRawText());
        Assert.Equal("stopped", stopped.State);
    }

    [Fact]
    public async Task Text_uploads_create_text_datasets()
    {
        var csv = "text,label\n\"great, really\",pos\nawful,neg\n\"said \"\"fine\"\"\",pos\n"u8.ToArray();
        var jsonl = "{\"text\": \"good\", \"label\": \"pos\"}\n{\"text\": \"bad\", \"label\": \"neg\"}\n"u8.ToArray();

        var fromCsv = await fixture.Bob.UploadTextDatasetAsync("reviews", DatasetFormats.Csv, new MemoryStream(csv));
        var fromJsonl = await fixture.Bob.UploadTextDatasetAsync("reviews", DatasetFormats.Jsonl, new MemoryStream(jsonl));
        var texts = fixture.Node.Datasets.LoadTexts(fromCsv.Id);
        await fixture.Bob.DeleteDatasetAsync(fromCsv.Id);
        await fixture.Bob.DeleteDatasetAsync(fromJsonl.Id);

        Assert.Equal(TaskNames.TextClassification, fromCsv.Task);
        Assert.Equal(3, fromCsv.Count);
        Assert.Equal(["neg", "pos"], fromCsv.ClassNames);
        Assert.Equal(["great, really", "awful", "said \"fine\""], texts.Texts);
        Assert.Equal(2, fromJsonl.Count);
    }

    [Fact]
    public async Task Deleted_dataset_is_not_found()
    {
        var dataset = await fixture.Bob.UploadTextDatasetAsync(
            "to-delete", DatasetFormats.Jsonl, new MemoryStream("{\"text\": \"x\", \"label\": \"a\"}\n"u8.ToArray()));

        await fixture.Bob.DeleteDatasetAsync(dataset.Id);

        var error = await Assert.ThrowsAsync<RafikiApiException>(() => fixture.Bob.GetDatasetAsync(dataset.Id));
        Assert.Equal(HttpStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task Metrics_expose_http_and_inference_series()
    {
        await fixture.Alice.PredictAsync(fixture.InferenceJob.Id, Image(1));
        using var http = fixture.NewHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Authorization = new("Bearer", await AdminTokenAsync());

        var text = await (await http.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("http_requests_received_total", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains($"rafiki_inference_answered_total{{job=\"{fixture.InferenceJob.Id}\"}}", text, StringComparison.Ordinal);
        Assert.Contains($"rafiki_inference_queue_length{{job=\"{fixture.InferenceJob.Id}\"}}", text, StringComparison.Ordinal);
        Assert.Contains("rafiki_studies{state=\"completed\"}", text, StringComparison.Ordinal);
        Assert.Contains("rafiki_trials{state=\"completed\"}", text, StringComparison.Ordinal);
        Assert.Contains("rafiki_api_predict_queries_total{protocol=\"rafiki\"}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_lists_endpoints()
    {
        using var http = fixture.NewHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "openapi/v1.json");
        request.Headers.Authorization = new("Bearer", fixture.AliceToken.Token);

        using var document = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());

        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(path => path.Name).ToList();
        Assert.Contains("/datasets", paths);
        Assert.Contains("/train-jobs", paths);
        Assert.Contains("/inference-jobs/{id}/predict", paths);
        Assert.Contains("/v2/models/{name}/infer", paths);
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.True(document.RootElement.GetProperty("paths").GetProperty("/datasets").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(document.RootElement.GetProperty("paths").GetProperty("/tokens").GetProperty("post").TryGetProperty("security", out _));
    }

    private async Task<string> AdminTokenAsync()
    {
        var admin = fixture.NewClient();
        return (await admin.LoginAsync("admin", ApiFixture.AdminPassword)).Token;
    }
}
