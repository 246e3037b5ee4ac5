using Rafiki.Core;
using Rafiki.Models;
using Rafiki.Storage.Datasets;
using Rafiki.Tuning;

namespace Rafiki.Bench.Plugins;

/// <summary>
/// A model family whose epoch sleeps for <see cref="EpochSeconds"/> instead of training, so a benchmark measures
/// the scheduling overhead of studies and trials and not the speed of training.
/// </summary>
public sealed class SleepFamily : IModelFamily
{
    /// <summary>Seconds one epoch takes.</summary>
    public const string EpochSeconds = "epoch_seconds";

    /// <summary>An unused knob, so advisors have something to propose.</summary>
    public const string Score = "score";

    public string Name => "bench-sleep";

    public TaskType Task => TaskType.ImageClassification;

    public string Description => "Sleeps instead of training; for scheduling benchmarks.";

    public KnobSpace KnobSpace { get; } = KnobSpace.Of(new FixedKnob(EpochSeconds, 1.0), new FloatKnob(Score, 0, 1));

    public IModel Create(ModelSpec spec)
    {
        KnobSpace.CheckContains(spec.Knobs);
        return new SleepModel(TimeSpan.FromSeconds(spec.Knobs.GetDouble(EpochSeconds)), spec.Knobs.GetDouble(Score), spec.ClassCount);
    }

    private sealed class SleepModel(TimeSpan epoch, double score, int classes) : IModel
    {
        public EpochResult TrainEpoch(ImageDataset data, int epochNumber, IProgress<double>? progress, CancellationToken cancellationToken)
        {
            cancellationToken.WaitHandle.WaitOne(epoch);
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(1);
            return new EpochResult(1 - score, score, data.Count);
        }

        public Evaluation Evaluate(ImageDataset data, CancellationToken cancellationToken = default) => new(score, 1 - score, data.Count);

        public float[] PredictProbabilities(ReadOnlySpan<byte> images, int count) =>
            [.. Enumerable.Repeat(1f / classes, count * classes)];

        public byte[] SaveParameters() => BitConverter.GetBytes(score);

        public ParameterLoadReport LoadParameters(byte[] parameters, bool strict) => new(["score"], []);

        public void Dispose()
        {
        }
    }
}
