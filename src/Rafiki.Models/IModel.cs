using Rafiki.Storage.Datasets;

namespace Rafiki.Models;

/// <summary>Result of training one epoch.</summary>
/// <param name="Loss">Mean training loss over the epoch.</param>
/// <param name="Accuracy">Training accuracy over the epoch, measured while the parameters changed.</param>
/// <param name="Examples">Number of examples trained on.</param>
public sealed record EpochResult(double Loss, double Accuracy, int Examples);

/// <summary>Accuracy and mean loss of a model on a labelled dataset.</summary>
public sealed record Evaluation(double Accuracy, double Loss, int Examples);

/// <summary>Which parameter tensors a load copied into the model, and which it skipped.</summary>
/// <param name="Loaded">Names of tensors copied, in the model's order.</param>
/// <param name="Skipped">Names of tensors in the checkpoint that the model lacks or whose shape differs.</param>
public sealed record ParameterLoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Skipped);

/// <summary>
/// A built model: train it one epoch at a time, evaluate it, predict with it, save and load its parameters.
/// Instances are not thread-safe; one thread uses a model at a time. Dispose frees its tensors.
/// </summary>
public interface IModel : IDisposable
{
    /// <summary>Trains one pass over <paramref name="data"/> in a shuffled order that depends on the seed and the epoch.</summary>
    /// <param name="data">Training examples.</param>
    /// <param name="epoch">1-based epoch number.</param>
    /// <param name="progress">Receives the fraction of the epoch done, from 0 to 1.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <exception cref="OperationCanceledException">Cancelled between two batches.</exception>
    /// <exception cref="ModelDivergedException">The loss became NaN or infinite.</exception>
    EpochResult TrainEpoch(ImageDataset data, int epoch, IProgress<double>? progress, CancellationToken cancellationToken);

    /// <summary>Measures accuracy and loss on <paramref name="data"/> without changing the model.</summary>
    Evaluation Evaluate(ImageDataset data, CancellationToken cancellationToken = default);

    /// <summary>Returns class probabilities for <paramref name="count"/> images laid out as in <see cref="ImageDataset.Pixels"/>.</summary>
    /// <returns>A count x classes array, row-major.</returns>
    float[] PredictProbabilities(ReadOnlySpan<byte> images, int count);

    /// <summary>Serializes every parameter and buffer (such as batch-norm statistics).</summary>
    byte[] SaveParameters();

    /// <summary>
    /// Copies parameters from bytes made by <see cref="SaveParameters"/>. With <paramref name="strict"/>, every
    /// tensor must match by name and shape; without it, matching tensors load and the rest are reported as skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a checkpoint, or strict loading found a mismatch.</exception>
    ParameterLoadReport LoadParameters(byte[] parameters, bool strict);
}
