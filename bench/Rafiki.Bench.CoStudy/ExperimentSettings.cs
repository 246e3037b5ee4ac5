namespace Rafiki.Bench.CoStudy;

/// <summary>Size of the experiment: trials per study, seeds per mode, training images, epochs per trial.</summary>
public sealed record ExperimentSettings(int Trials, int Seeds, int TrainImages, int Epochs, string PlotFolder)
{
    /// <summary>Validation images, taken from the end of the training file.</summary>
    public int ValidationImages => 5_000;

    /// <summary>Validation accuracy that counts a trial as in the top band.</summary>
    public double HighAccuracy => 0.86;
}
