using System.Diagnostics;
using System.Globalization;
using Rafiki.Bench.Tuning;
using Rafiki.Tuning.Advisors;

const string Usage = """
    Usage:
      Rafiki.Bench.Tuning quality [--trials N] [--seeds N] [--advisors a,b] [--functions f,g] [--no-optuna]
                                  (advisors: the registered names, plus gp-standardize and gp-log-gap, the
                                  GP with one target transform only)
      Rafiki.Bench.Tuning latency [--repetitions N] [--advisors a,b] [--histories 100,1000]

    quality  median best regret per advisor over seeds 0..N-1 (default 100 trials, 20 seeds), with Optuna's
             samplers run by bench/optuna_bench.py on the same functions at the same time
    latency  median and p95 milliseconds per proposal at 100 and 1000 (or the given) observed trials, 5 and 20 knobs
             (default 20 repetitions)
    """;

if (args.Length == 0 || args[0] is not ("quality" or "latency"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i < args.Length; i++)
{
    if (args[i] == "--no-optuna")
    {
        options["no-optuna"] = "true";
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
    else
    {
        Console.Error.WriteLine($"argument '{args[i]}' is invalid.\n{Usage}");
        return 2;
    }
}

string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int IntOption(string name, int fallback) => int.Parse(Option(name, $"{fallback}"), CultureInfo.InvariantCulture);
var advisors = Option("advisors", "random,grid,gp,tpe").Split(',');

if (args[0] == "latency")
{
    var repetitions = IntOption("repetitions", 20);
    Console.WriteLine("| advisor | knobs | observed trials | median ms | p95 ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var name in advisors)
    {
        foreach (var knobCount in new[] { 5, 20 })
        {
            var histories = Option("histories", "100,1000").Split(',')
                .Select(value => int.Parse(value, CultureInfo.InvariantCulture));
            foreach (var history in histories)
            {
                var (median, p95) = LatencyBenchmark.Measure(
                    AdvisorNames.Create(name), LatencyBenchmark.Space(knobCount), history, repetitions);
                Console.WriteLine(FormattableString.Invariant(
                    $"| {name} | {knobCount} | {history} | {median:F2} | {p95:F2} |"));
            }
        }
    }

    return 0;
}

var trials = IntOption("trials", 100);
var seeds = IntOption("seeds", 20);
var functions = Functions.All
    .Where(function => Option("functions", "").Length == 0
        || Option("functions", "").Split(',').Contains(function.Name))
    .ToList();
var optuna = options.ContainsKey("no-optuna")
    ? null
    : OptunaRunner.Start(FindScript(), trials, seeds, functions.Select(function => function.Name));

IAdvisor Create(string name, BenchmarkFunction function) => name switch
{
    AdvisorNames.Grid => new GridAdvisor(QualityBenchmark.GridPointsFor(function.Space, trials)),
    "gp-standardize" => new GpAdvisor(new GpOptions { Targets = GpTargetTransform.Standardize }),
    "gp-log-gap" => new GpAdvisor(new GpOptions { Targets = GpTargetTransform.LogGap }),
    _ => AdvisorNames.Create(name),
};

var ours = new Dictionary<(string Function, string Advisor), double[]>();
foreach (var function in functions)
{
    foreach (var name in advisors)
    {
        var watch = Stopwatch.StartNew();
        ours[(function.Name, name)] = QualityBenchmark.Run(function, f => Create(name, f), trials, seeds);
        var median = Statistics.Median(ours[(function.Name, name)]);
        Console.Error.WriteLine(FormattableString.Invariant(
            $"{function.Name} {name}: median regret {median:G4} in {watch.Elapsed.TotalSeconds:F1} s"));
    }
}

var theirs = optuna is null ? [] : await optuna.ResultsAsync();
var samplers = theirs.Keys.Select(key => key.Sampler).Distinct().ToList();
Console.WriteLine($"Median best regret over {seeds} seeds, {trials} trials each (lower is better).");
Console.WriteLine();
Console.WriteLine($"| function | {string.Join(" | ", advisors.Concat(samplers))} | best ours | best Optuna |");
Console.WriteLine($"| --- |{string.Concat(Enumerable.Repeat(" ---: |", advisors.Length + samplers.Count + 2))}");
foreach (var function in functions)
{
    var ourMedians = advisors.Select(name => Statistics.Median(ours[(function.Name, name)])).ToList();
    var theirMedians = samplers
        .Select(sampler => theirs.TryGetValue((function.Name, sampler), out var regrets)
            ? Statistics.Median(regrets)
            : double.NaN)
        .ToList();
    var bestOurs = advisors[ourMedians.IndexOf(ourMedians.Min())];
    var bestTheirs = theirMedians.Count == 0 ? "-" : samplers[theirMedians.IndexOf(theirMedians.Min())];
    var cells = string.Join(" | ", ourMedians.Concat(theirMedians).Select(Format));
    Console.WriteLine($"| {function.Name} | {cells} | {bestOurs} | {bestTheirs} |");
}

return 0;

static string Format(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

static string FindScript()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "bench", "optuna_bench.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    throw new FileNotFoundException(
        "bench/optuna_bench.py not found above the working or program directory; run from the repository.");
}
