using System.CommandLine;
using Rafiki.Batching;
using Rafiki.Bench.Inference;
using Rafiki.Inference;

var defaults = new InferenceJobSettings();
var fashionMnist = new Option<string>("--fashion-mnist")
{
    Description = "Folder with the four gzipped IDX files of Fashion-MNIST.",
    DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist",
};
var workDirectory = new Option<string>("--work-dir")
{
    Description = "Folder for the trained checkpoint, reused by later runs.",
    DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "rafiki-bench-inference"),
};
var trainImages = new Option<int>("--train-images")
{
    Description = "Training images for the one-epoch small CNN.",
    DefaultValueFactory = _ => 20_000,
};
var torchThreads = new Option<int>("--torch-threads")
{
    Description = "Threads libtorch uses per operation.",
    DefaultValueFactory = _ => 1,
};
var tau = new Option<double>("--tau-ms") { Description = "Latency target in ms.", DefaultValueFactory = _ => 50 };
var maxBatch = new Option<int>("--max-batch-size") { Description = "Bmax.", DefaultValueFactory = _ => defaults.MaxBatchSize };
var margin = new Option<double>("--margin-ms")
{
    Description = "Greedy policy's reserve on top of the estimated batch latency, in ms.",
    DefaultValueFactory = _ => defaults.MarginMs,
};
var maxWait = new Option<double>("--max-wait-ms")
{
    Description = "Fixed-wait policy's maximum queue delay, in ms.",
    DefaultValueFactory = _ => defaults.MaxWaitMs,
};
var queueLimit = new Option<int>("--queue-limit")
{
    Description = "Maximum number of waiting requests per job.",
    DefaultValueFactory = _ => defaults.QueueLimit,
};
var overdue = new Option<string>("--overdue")
{
    Description = "What happens to overdue requests: serve-late or reject.",
    DefaultValueFactory = _ => "serve-late",
};
overdue.AcceptOnlyFromAmong("serve-late", "reject");
var maxLate = new Option<double?>("--max-late-ms")
{
    Description = "Serving late: how late past tau a request may get before it is answered as overdue; 10 x tau if left out.",
};
var policies = new Option<string[]>("--policies")
{
    Description = "Policies to compare, separated by spaces.",
    DefaultValueFactory = _ => [.. BatchingPolicies.All],
    AllowMultipleArgumentsPerToken = true,
};
policies.AcceptOnlyFromAmong([.. BatchingPolicies.All]);
var workloads = new Option<string[]>("--workloads")
{
    Description = "Workloads to run, separated by spaces: saturation, constant, poisson, bursty, sine.",
    DefaultValueFactory = _ => [.. Workload.Names],
    AllowMultipleArgumentsPerToken = true,
};
workloads.AcceptOnlyFromAmong([.. Workload.Names]);
var duration = new Option<double>("--duration-s")
{
    Description = "Seconds of arrivals per run of the saturation, constant, Poisson and bursty workloads.",
    DefaultValueFactory = _ => 4,
};
var sineDuration = new Option<double>("--sine-duration-s")
{
    Description = "Seconds of arrivals per run of the sine workload.",
    DefaultValueFactory = _ => 10,
};
var sinePeriod = new Option<double>("--sine-period-s")
{
    Description = "Length of one sine cycle in seconds.",
    DefaultValueFactory = _ => 10,
};
var window = new Option<double>("--window-ms")
{
    Description = "Width of the time-series windows, in ms.",
    DefaultValueFactory = _ => 500,
};
var seed = new Option<int>("--seed") { Description = "Seed of the arrival times.", DefaultValueFactory = _ => 42 };
var plots = new Option<string?>("--plots") { Description = "Folder for the sine workload's PNG plots." };
var markdown = new Option<string?>("--markdown") { Description = "File to write the Markdown report to." };
var requestLogs = new Option<string?>("--request-logs")
{
    Description = "Folder for one CSV file per run with each request's send time, reply time and status.",
};

var root = new RootCommand(
    "Trains a small CNN on Fashion-MNIST (once), measures it alone, then sends open-loop test-image traffic to a real "
    + "inference job for each batching policy and workload, and prints throughput, latency, overdue and accuracy.");
Option[] options =
[
    fashionMnist, workDirectory, trainImages, torchThreads, tau, maxBatch, margin, maxWait, queueLimit, overdue, maxLate,
    policies, workloads, duration, sineDuration, sinePeriod, window, seed, plots, markdown, requestLogs,
];
foreach (var option in options)
{
    root.Options.Add(option);
}

root.SetAction(async (parsed, _) =>
{
    var job = defaults with
    {
        TauMs = parsed.GetValue(tau),
        MaxBatchSize = parsed.GetValue(maxBatch),
        MarginMs = parsed.GetValue(margin),
        MaxWaitMs = parsed.GetValue(maxWait),
        QueueLimit = parsed.GetValue(queueLimit),
        OverdueAction = parsed.GetValue(overdue) == "reject" ? OverdueAction.Reject : OverdueAction.ServeLate,
        MaxLateMs = parsed.GetValue(maxLate),
    };
    var problems = job.Validate();
    if (problems.Count > 0)
    {
        Console.Error.WriteLine($"error: {string.Join(" ", problems)}");
        return 2;
    }

    var settings = new BenchSettings(
        parsed.GetValue(fashionMnist)!,
        parsed.GetValue(workDirectory)!,
        parsed.GetValue(trainImages),
        parsed.GetValue(torchThreads),
        job,
        parsed.GetValue(policies) ?? [],
        parsed.GetValue(workloads) ?? [],
        parsed.GetValue(duration) * 1000,
        parsed.GetValue(sineDuration) * 1000,
        parsed.GetValue(sinePeriod) * 1000,
        parsed.GetValue(window),
        parsed.GetValue(seed),
        parsed.GetValue(plots),
        parsed.GetValue(markdown),
        parsed.GetValue(requestLogs));
    try
    {
        return await BenchRunner.RunAsync(settings, Console.Out);
    }
    catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
    {
        Console.Error.WriteLine($"error: {error.Message}");
        return 1;
    }
});

return await root.Parse(args).InvokeAsync();
