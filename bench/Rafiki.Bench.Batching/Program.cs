using System.CommandLine;
using Rafiki.Batching;
using Rafiki.Bench.Batching;

var tau = new Option<double>("--tau-ms") { Description = "Latency target in ms.", DefaultValueFactory = _ => 50 };
var maxBatch = new Option<int>("--max-batch-size") { Description = "Bmax.", DefaultValueFactory = _ => 64 };
var margin = new Option<double>("--margin-ms")
{
    Description = "Greedy policy's reserve on top of c(b), in ms.",
    DefaultValueFactory = _ => 1,
};
var delay = new Option<double>("--max-queue-delay-ms")
{
    Description = "Fixed-wait policy's maximum queue delay, in ms.",
    DefaultValueFactory = _ => 5,
};
var decrease = new Option<double>("--aimd-decrease")
{
    Description = "AIMD factor applied to the batch size cap after a batch slower than tau.",
    DefaultValueFactory = _ => 0.5,
};
var overdue = new Option<string>("--overdue")
{
    Description = "What happens to overdue requests: serve-late or reject.",
    DefaultValueFactory = _ => "serve-late",
};
overdue.AcceptOnlyFromAmong("serve-late", "reject");
var maxLate = new Option<double?>("--max-late-ms")
{
    Description = "With serve-late: a waiting request that would end this many ms or more past its deadline "
        + "gets an overdue error at once. 10 times --tau-ms when left out; ignored with --overdue reject.",
};
var capacity = new Option<int>("--queue-capacity")
{
    Description = "Maximum number of waiting requests.",
    DefaultValueFactory = _ => 1024,
};
var duration = new Option<double>("--duration-s")
{
    Description = "Virtual seconds of arrivals per run.",
    DefaultValueFactory = _ => 60,
};
var seed = new Option<int>("--seed") { Description = "Seed of every random draw.", DefaultValueFactory = _ => 42 };
var window = new Option<double>("--window-ms")
{
    Description = "Width of the time-series windows, in ms.",
    DefaultValueFactory = _ => 500,
};
var tick = new Option<double>("--timer-tick-ms")
{
    Description = "Router timer granularity in ms; 0 fires wake-ups exactly on time.",
    DefaultValueFactory = _ => 0,
};
var fixedMs = new Option<double>("--fixed-ms")
{
    Description = "Simulated model: latency of a batch regardless of its size, in ms.",
    DefaultValueFactory = _ => 2,
};
var perRequestMs = new Option<double>("--per-request-ms")
{
    Description = "Simulated model: latency added per request in a batch, in ms.",
    DefaultValueFactory = _ => 0.25,
};
var noise = new Option<double>("--noise-sigma")
{
    Description = "Sigma of the log-normal noise on every simulated batch latency; 0 for none.",
    DefaultValueFactory = _ => 0.1,
};
var latencyJson = new Option<string?>("--latency-json")
{
    Description = "JSON file of measured latencies, { \"batchSize\": latencyMs, ... }, used instead of "
        + "--fixed-ms and --per-request-ms.",
};
var workloads = new Option<string[]>("--workloads")
{
    Description = "Workloads to simulate, separated by spaces: constant, poisson, bursty, sine.",
    DefaultValueFactory = _ => ["constant", "poisson", "bursty", "sine"],
    AllowMultipleArgumentsPerToken = true,
};
workloads.AcceptOnlyFromAmong("constant", "poisson", "bursty", "sine");
var plots = new Option<string?>("--plots") { Description = "Folder for the sine workload's PNG plots." };
var markdown = new Option<string?>("--markdown") { Description = "File to write the Markdown tables to." };

var root = new RootCommand(
    "Simulates the batching policies greedy, none, fixed-wait and aimd on constant, Poisson, bursty and sine "
    + "arrivals in virtual time, and prints a table per workload.");
Option[] options =
[
    tau, maxBatch, margin, delay, decrease, overdue, maxLate, capacity, duration, seed, window, tick, fixedMs,
    perRequestMs, noise, latencyJson, workloads, plots, markdown,
];
foreach (var option in options)
{
    root.Options.Add(option);
}

root.SetAction(parsed =>
{
    var batching = new BatchingOptions(parsed.GetValue(tau), parsed.GetValue(maxBatch))
    {
        MarginMs = parsed.GetValue(margin),
        MaxQueueDelayMs = parsed.GetValue(delay),
        AimdDecreaseFactor = parsed.GetValue(decrease),
        OverdueAction = parsed.GetValue(overdue) == "reject" ? OverdueAction.Reject : OverdueAction.ServeLate,
        MaxLateMs = parsed.GetValue(maxLate),
        QueueCapacity = parsed.GetValue(capacity),
    };
    try
    {
        batching.Validate();
        var settings = new BenchSettings(
            batching,
            parsed.GetValue(duration) * 1000,
            parsed.GetValue(seed),
            parsed.GetValue(window),
            parsed.GetValue(tick),
            parsed.GetValue(fixedMs),
            parsed.GetValue(perRequestMs),
            parsed.GetValue(noise),
            parsed.GetValue(latencyJson),
            parsed.GetValue(workloads) ?? [],
            parsed.GetValue(plots),
            parsed.GetValue(markdown));
        return BenchRunner.Run(settings, Console.Out);
    }
    catch (Exception error) when (error is ArgumentException or FormatException or IOException)
    {
        Console.Error.WriteLine($"error: {error.Message}");
        return 2;
    }
});

return root.Parse(args).Invoke();
