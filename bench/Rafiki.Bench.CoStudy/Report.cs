using ScottPlot;

namespace Rafiki.Bench.CoStudy;

/// <summary>Prints the experiment's table and writes its plot.</summary>
public static class Report
{
    public static void Print(IReadOnlyList<RunResult> runs, ExperimentSettings settings)
    {
        Console.WriteLine();
        Console.WriteLine($"| mode | best val acc (mean ± sd) | test acc of best (mean ± sd) | trials >= {settings.HighAccuracy:F2} | warm starts | training time (mean s) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var mode in runs.GroupBy(run => run.Mode))
        {
            var best = mode.Select(run => run.BestValidation).ToList();
            var test = mode.Select(run => run.Test).ToList();
            var band = mode.Average(run => run.TopBandShare(settings.HighAccuracy));
            Console.WriteLine($"| {mode.Key} | {best.Average():F4} ± {Sd(best):F4} | {test.Average():F4} ± {Sd(test):F4} | {band:P0} | " +
                              $"{mode.Average(run => run.WarmStarts):F1} | {mode.Average(run => run.Seconds):F0} |");
        }

        Console.WriteLine();
        Console.WriteLine("Accuracy of every trial in order (validation):");
        foreach (var run in runs)
        {
            Console.WriteLine($"{run.Mode} seed {run.Seed}: {string.Join(" ", run.TrialAccuracies.Select(a => a.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
    }

    public static void Plot(IReadOnlyList<RunResult> runs, ExperimentSettings settings)
    {
        Directory.CreateDirectory(settings.PlotFolder);
        var plot = new Plot();
        foreach (var mode in runs.GroupBy(run => run.Mode))
        {
            var color = mode.Key == "CoStudy" ? Colors.OrangeRed : Colors.SteelBlue;
            foreach (var run in mode)
            {
                var xs = Enumerable.Range(1, run.TrialAccuracies.Count).Select(i => (double)i).ToArray();
                var points = plot.Add.Scatter(xs, run.TrialAccuracies.ToArray());
                points.Color = color.WithAlpha(0.5);
                points.LineWidth = 0;
                points.MarkerSize = 5;
            }

            var mean = Enumerable.Range(0, settings.Trials)
                .Select(i => mode.Where(run => run.TrialAccuracies.Count > i).Average(run => run.TrialAccuracies[i])).ToArray();
            var line = plot.Add.Scatter(Enumerable.Range(1, mean.Length).Select(i => (double)i).ToArray(), mean);
            line.Color = color;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = $"{mode.Key} (mean over {mode.Count()} seeds; dots: each seed)";
        }

        plot.Title($"Validation accuracy of each trial, Fashion-MNIST, {settings.Epochs} epoch(s) per trial");
        plot.XLabel("Trial number");
        plot.YLabel("Validation accuracy");
        plot.ShowLegend(Alignment.LowerRight);
        var path = Path.Combine(settings.PlotFolder, "accuracy-by-trial.png");
        plot.SavePng(path, 900, 480);
        Console.WriteLine($"plot: {path}");
    }

    private static double Sd(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        return values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
