using Rafiki.Batching.Simulation;
using ScottPlot;

namespace Rafiki.Bench.Batching;

/// <summary>Writes PNG plots of the sine workload's time series with ScottPlot.</summary>
internal static class SinePlots
{
    private const int WidthPixels = 900;
    private const int HeightPixels = 420;

    /// <summary>Writes the arrival-rate, overdue-ratio and batch-size plots and returns their paths.</summary>
    public static IReadOnlyList<string> Write(
        IReadOnlyList<SimulationReport> reports, double capacityPerSecond, string folder)
    {
        Directory.CreateDirectory(folder);
        return
        [
            WriteArrivalRate(reports[0], capacityPerSecond, Path.Combine(folder, "sine-arrival-rate.png")),
            WritePerPolicy(
                reports,
                window => window.OverdueRatio * 100,
                "Overdue requests by arrival window (%)",
                Path.Combine(folder, "sine-overdue-ratio.png")),
            WritePerPolicy(
                reports,
                window => window.MeanBatchSize,
                "Mean batch size",
                Path.Combine(folder, "sine-batch-size.png")),
        ];
    }

    private static string WriteArrivalRate(SimulationReport report, double capacityPerSecond, string path)
    {
        // All policies receive the same arrivals for one seed, so the first report's arrival rate is theirs too.
        var plot = new Plot();
        var seconds = Seconds(report);
        var rates = report.Windows.Select(window => window.ArrivalRatePerSecond).ToArray();
        var arrivals = plot.Add.Scatter(seconds, rates);
        arrivals.LegendText = "arrival rate";
        arrivals.MarkerSize = 0;
        var capacity = plot.Add.HorizontalLine(capacityPerSecond);
        capacity.LegendText = "capacity (Bmax / c(Bmax))";
        capacity.LinePattern = LinePattern.Dashed;
        Finish(plot, "Sine workload: arrival rate (simulated)", "Arrival rate (req/s)");
        plot.SavePng(path, WidthPixels, HeightPixels);
        return path;
    }

    private static string WritePerPolicy(
        IReadOnlyList<SimulationReport> reports, Func<SimulationWindow, double> metric, string label, string path)
    {
        var plot = new Plot();
        foreach (var report in reports)
        {
            var line = plot.Add.Scatter(Seconds(report), report.Windows.Select(metric).ToArray());
            line.LegendText = report.PolicyName;
            line.MarkerSize = 0;
        }

        Finish(plot, $"Sine workload: {label.ToLowerInvariant()} (simulated)", label);
        plot.SavePng(path, WidthPixels, HeightPixels);
        return path;
    }

    private static double[] Seconds(SimulationReport report) =>
        report.Windows.Select(window => window.StartMs / 1000).ToArray();

    private static void Finish(Plot plot, string title, string yLabel)
    {
        plot.Title(title);
        plot.XLabel("Virtual time (s)");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
    }
}
