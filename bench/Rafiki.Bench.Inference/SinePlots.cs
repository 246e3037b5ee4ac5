using ScottPlot;

namespace Rafiki.Bench.Inference;

/// <summary>Writes PNG plots of the sine workload's time series with ScottPlot.</summary>
internal static class SinePlots
{
    private const int WidthPixels = 900;
    private const int HeightPixels = 420;

    /// <summary>Writes the arrival-rate, overdue-ratio and batch-size plots and returns their paths.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<RunResult> runs, double capacityPerSecond, string folder)
    {
        Directory.CreateDirectory(folder);
        return
        [
            WriteArrivalRate(runs[0], capacityPerSecond, Path.Combine(folder, "sine-arrival-rate.png")),
            WritePerPolicy(runs, window => window.OverdueRatio * 100, "Overdue requests by arrival window (%)",
                Path.Combine(folder, "sine-overdue-ratio.png")),
            WritePerPolicy(runs, window => window.MeanBatchSize, "Mean batch size", Path.Combine(folder, "sine-batch-size.png")),
        ];
    }

    private static string WriteArrivalRate(RunResult run, double capacityPerSecond, string path)
    {
        // Every policy and repetition receives the same arrival times, so the first run's arrival rate is theirs too.
        var plot = new Plot();
        var arrivals = plot.Add.Scatter(Seconds(run), run.Windows.Select(window => window.ArrivalRatePerSecond).ToArray());
        arrivals.LegendText = "arrival rate";
        arrivals.MarkerSize = 0;
        var capacity = plot.Add.HorizontalLine(capacityPerSecond);
        capacity.LegendText = "capacity (model alone)";
        capacity.LinePattern = LinePattern.Dashed;
        Finish(plot, "Sine workload: arrival rate", "Arrival rate (req/s)");
        plot.SavePng(path, WidthPixels, HeightPixels);
        return path;
    }

    private static string WritePerPolicy(IReadOnlyList<RunResult> runs, Func<RunWindow, double> metric, string label, string path)
    {
        var plot = new Plot();
        foreach (var run in runs)
        {
            var line = plot.Add.Scatter(Seconds(run), run.Windows.Select(metric).ToArray());
            line.LegendText = run.Policy;
            line.MarkerSize = 0;
        }

        Finish(plot, $"Sine workload: {label.ToLowerInvariant()}", label);
        plot.SavePng(path, WidthPixels, HeightPixels);
        return path;
    }

    private static double[] Seconds(RunResult run) => run.Windows.Select(window => window.StartMs / 1000).ToArray();

    private static void Finish(Plot plot, string title, string yLabel)
    {
        plot.Title(title);
        plot.XLabel("Time (s)");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
    }
}
