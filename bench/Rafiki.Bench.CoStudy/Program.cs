using System.Globalization;
using Rafiki.Bench.CoStudy;

// Usage: dotnet run -c Release --project bench/Rafiki.Bench.CoStudy -- [TRIALS] [SEEDS] [TRAIN_IMAGES] [EPOCHS] [PLOT_FOLDER]
// Reads Fashion-MNIST from /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist).
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var settings = new ExperimentSettings(
    Trials: Arg(0, 30), Seeds: Arg(1, 3), TrainImages: Arg(2, 12_000), Epochs: Arg(3, 1),
    PlotFolder: args.Length > 4 ? args[4] : Path.Combine("docs", "images", "costudy"));
await CoStudyExperiment.RunAsync(settings);
