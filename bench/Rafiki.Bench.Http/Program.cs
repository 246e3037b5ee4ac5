using System.Globalization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Rafiki.Api;
using Rafiki.Bench.Http;
using Rafiki.Client;
using Rafiki.Client.Contracts;
using Rafiki.Hosting;
using Rafiki.Inference;
using Rafiki.Storage.Datasets;

// Measures, on loopback only and with bounded request counts, how many predictions per second the HTTP API
// serves and how much latency it adds over asking the inference-job actor directly. Usage:
//   dotnet run -c Release --project bench/Rafiki.Bench.Http -- [--requests N] [--concurrency C] [--batch B] [--out FILE]
var requests = IntOption("--requests", 2000);
var concurrency = IntOption("--concurrency", 16);
var batch = IntOption("--batch", 16);
var output = StringOption("--out", null);
var fixtures = FindFixtures();

var dataDirectory = Path.Combine(Path.GetTempPath(), "rafiki-bench-http", Guid.NewGuid().ToString("N"));
const string password = "bench-admin-password-1";
await using var node = await RafikiNode.StartAsync(
    new RafikiNodeOptions { DataDirectory = dataDirectory }, logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
await using var server = await RafikiApi.StartAsync(
    node, new ApiOptions { Port = 0, BootstrapAdminPassword = password }, logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
using var http = new HttpClient { BaseAddress = server.BaseAddress };
var client = new RafikiClient(http);
await client.LoginAsync("admin", password);

Console.WriteLine($"Training one small-cnn trial on the Fashion-MNIST subset behind {server.BaseAddress} ...");
DatasetView train;
await using (var images = File.OpenRead(Path.Combine(fixtures, "train-images-idx3-ubyte.gz")))
await using (var labels = File.OpenRead(Path.Combine(fixtures, "train-labels-idx1-ubyte.gz")))
{
    train = await client.UploadIdxDatasetAsync("bench-train", images, labels);
}

var job = await client.CreateTrainJobAsync(new CreateTrainJobRequest(
    "bench", TaskNames.ImageClassification, train.Id, train.Id, ["small-cnn"], new TrainJobBudget(1, 1), Seed: 1));
await client.WaitForTrainJobAsync(job.Id, TimeSpan.FromMinutes(10));
var deployed = await client.CreateInferenceJobAsync(new CreateInferenceJobRequest(job.Id));
var test = IdxFormat.Read(Path.Combine(fixtures, "t10k-images-idx3-ubyte.gz"), Path.Combine(fixtures, "t10k-labels-idx1-ubyte.gz"));
byte[] Image(int index) => test.Image(index % test.Count).ToArray();

async Task Direct(int index)
{
    var result = await node.InferenceJobs.Ask<InferenceProtocol.PredictionResult>(
        new InferenceProtocol.Predict(deployed.Id, $"direct-{index}", Image(index)), TimeSpan.FromSeconds(30));
    if (result.Status != PredictionStatus.Ok)
    {
        throw new InvalidOperationException($"direct prediction {index} failed: {result.Error}");
    }
}

Task HttpSingle(int index) => client.PredictAsync(deployed.Id, Image(index));

Task HttpBatch(int index) => client.PredictManyAsync(deployed.Id, Enumerable.Range(index * batch, batch).Select(Image));

Task KServe(int index) => client.InferV2Async(deployed.Id, new V2InferRequest(
    null, [new V2Tensor("images", [1, 1, 28, 28], "UINT8", JsonSerializer.SerializeToElement(Image(index).Select(pixel => (int)pixel)))]));

Console.WriteLine("Warming up ...");
var loadBefore = LoadAverage();
await LoadRun.RunAsync("warm-up", 200, 1, concurrency, Direct);
await LoadRun.RunAsync("warm-up", 200, 1, concurrency, HttpSingle);
await LoadRun.RunAsync("warm-up", 50, 1, concurrency, KServe);

var sequential = Math.Max(100, requests / 4);
var results = new List<RunResult>
{
    await LoadRun.RunAsync("actor Ask, 1 image", sequential, 1, 1, Direct),
    await LoadRun.RunAsync("HTTP predict, 1 image", sequential, 1, 1, HttpSingle),
    await LoadRun.RunAsync("actor Ask, 1 image", requests, 1, concurrency, Direct),
    await LoadRun.RunAsync("HTTP predict, 1 image", requests, 1, concurrency, HttpSingle),
    await LoadRun.RunAsync("KServe v2 infer, 1 image", requests, 1, concurrency, KServe),
    await LoadRun.RunAsync($"HTTP predict, {batch} images", Math.Max(1, requests / batch), batch, concurrency, HttpBatch),
};
var paired = await LoadRun.RunPairedAsync(sequential, Direct, HttpSingle);
var pairedKServe = await LoadRun.RunPairedAsync(sequential, Direct, KServe);
var loadAfter = LoadAverage();
var statistics = await client.GetInferenceJobAsync(deployed.Id);
await client.StopInferenceJobAsync(deployed.Id);

var report = Report(results, statistics.Statistics);
Console.WriteLine(report);
if (output is not null)
{
    await File.WriteAllTextAsync(output, report);
    Console.WriteLine($"Wrote {output}");
}

try
{
    Directory.Delete(dataDirectory, recursive: true);
}
catch (IOException)
{
    // The OS clears the temp folder later.
}

string Report(List<RunResult> runs, InferenceJobStatistics? jobStatistics)
{
    var text = new StringBuilder();
    text.AppendLine("| path | concurrency | requests | images/request | images/s | p50 ms | p99 ms |");
    text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var run in runs)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {run.Name} | {run.Concurrency} | {run.Requests} | {run.ImagesPerRequest} | {run.ImagesPerSecond:F0} | {run.P50Ms:F2} | {run.P99Ms:F2} |");
    }

    var concurrentAdded = runs[3].P50Ms - runs[2].P50Ms;
    text.AppendLine();
    text.AppendLine(CultureInfo.InvariantCulture,
        $"Paired, one request at a time ({sequential} pairs of an actor Ask followed by an HTTP request): the median of the " +
        $"differences is {paired.MedianDifferenceMs:F2} ms for the Rafiki predict endpoint (p50 {paired.FirstP50Ms:F2} ms direct, " +
        $"{paired.SecondP50Ms:F2} ms over HTTP) and {pairedKServe.MedianDifferenceMs:F2} ms for KServe v2 infer " +
        $"(p50 {pairedKServe.SecondP50Ms:F2} ms).");
    text.AppendLine(CultureInfo.InvariantCulture,
        $"With {concurrency} requests in flight the HTTP p50 is {concurrentAdded:F2} ms above the actor p50.");
    text.AppendLine(CultureInfo.InvariantCulture,
        $"The 1-minute load average of the machine was {loadBefore} before the measured runs and {loadAfter} after them.");
    if (jobStatistics is not null)
    {
        var batches = jobStatistics.BatchSizeCounts.Values.Sum();
        var mean = batches == 0 ? 0 : jobStatistics.BatchSizeCounts.Sum(pair => (double)pair.Key * pair.Value) / batches;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"The inference job answered {jobStatistics.Answered} predictions in {batches} batches (mean batch {mean:F1}), rejected {jobStatistics.Rejected}.");
    }

    return text.ToString();
}

// Other processes on a shared machine skew the numbers, so the report states the load around the runs.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

string? StringOption(string name, string? fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

static string FindFixtures()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        var candidate = Path.Combine(folder.FullName, "tests", "fixtures", "fashion-mnist");
        if (Directory.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new DirectoryNotFoundException($"tests/fixtures/fashion-mnist not found above {AppContext.BaseDirectory}.");
}
