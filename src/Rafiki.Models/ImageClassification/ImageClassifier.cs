using Rafiki.Models.Torch;
using Rafiki.Storage.Datasets;
using Rafiki.Tuning;
using TorchSharp;
using static TorchSharp.torch;

namespace Rafiki.Models.ImageClassification;

/// <summary>
/// Trains, evaluates and runs any image-classification network: cross-entropy loss, the optimizer from
/// <see cref="TrainingKnobs"/>, pixels scaled to [-1, 1]. Families supply only the network.
/// </summary>
public sealed class ImageClassifier : IModel
{
    private const int EvaluationBatchSize = 1000;

    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly optim.Optimizer _optimizer;
    private readonly Device _device;
    private readonly ModelSpec _spec;
    private readonly int _batchSize;

    /// <summary>Wraps a freshly built network; takes ownership of it.</summary>
    public ImageClassifier(nn.Module<Tensor, Tensor> network, ModelSpec spec)
    {
        _spec = spec;
        _device = TorchRuntime.ParseDevice(spec.Device);
        _network = network.to(_device);
        _optimizer = TrainingKnobs.Create(_network.parameters(), spec.Knobs);
        _batchSize = spec.Knobs.GetInt(TrainingKnobs.BatchSize);
    }

    /// <inheritdoc />
    public EpochResult TrainEpoch(ImageDataset data, int epoch, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        CheckShape(data);
        _network.train();
        var order = Enumerable.Range(0, data.Count).ToArray();
        var epochSeed = Seeds.Derive(_spec.Seed, epoch);
        new Random(epochSeed).Shuffle(order);
        var layer = 0;
        foreach (var dropout in _network.modules().OfType<SeededDropout>())
        {
            dropout.Reseed(Seeds.Derive(epochSeed, ++layer));
        }

        double lossSum = 0;
        long correct = 0;
        var batches = (data.Count + _batchSize - 1) / _batchSize;
        for (var b = 0; b < batches; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indices = order.AsSpan(b * _batchSize, Math.Min(_batchSize, data.Count - (b * _batchSize)));
            using var scope = NewDisposeScope();
            var (inputs, labels) = Batch(data, indices);
            var logits = _network.forward(inputs);
            var loss = nn.functional.cross_entropy(logits, labels);
            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();

            var batchLoss = loss.item<float>();
            if (!float.IsFinite(batchLoss))
            {
                throw new ModelDivergedException(
                    $"training loss became {batchLoss} at epoch {epoch}, batch {b + 1}; lower the learning rate.");
            }

            lossSum += batchLoss * indices.Length;
            correct += logits.argmax(1).eq(labels).sum().item<long>();
            progress?.Report((double)(b + 1) / batches);
        }

        return new EpochResult(lossSum / data.Count, (double)correct / data.Count, data.Count);
    }

    /// <inheritdoc />
    public Evaluation Evaluate(ImageDataset data, CancellationToken cancellationToken = default)
    {
        CheckShape(data);
        _network.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        var all = Enumerable.Range(0, data.Count).ToArray();
        for (var start = 0; start < data.Count; start += EvaluationBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (inputs, labels) = Batch(data, all.AsSpan(start, Math.Min(EvaluationBatchSize, data.Count - start)));
            var logits = _network.forward(inputs);
            lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }

        return new Evaluation((double)correct / data.Count, lossSum / data.Count, data.Count);
    }

    /// <inheritdoc />
    public float[] PredictProbabilities(ReadOnlySpan<byte> images, int count)
    {
        var imageSize = _spec.Input.Channels * _spec.Input.Height * _spec.Input.Width;
        if (images.Length != count * imageSize)
        {
            throw new ArgumentException(
                $"{images.Length} bytes are not {count} images of {_spec.Input.Channels}x{_spec.Input.Height}x{_spec.Input.Width}.",
                nameof(images));
        }

        _network.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var inputs = Normalize(tensor(images.ToArray(), [count, _spec.Input.Channels, _spec.Input.Height, _spec.Input.Width]));
        var probabilities = nn.functional.softmax(_network.forward(inputs), 1).cpu();
        return probabilities.data<float>().ToArray();
    }

    /// <inheritdoc />
    public byte[] SaveParameters() => ParameterCodec.Save(_network);

    /// <inheritdoc />
    public ParameterLoadReport LoadParameters(byte[] parameters, bool strict) => ParameterCodec.Load(_network, parameters, strict);

    /// <summary>Frees the network's and the optimizer's tensors.</summary>
    public void Dispose()
    {
        _optimizer.Dispose();
        _network.Dispose();
    }

    private (Tensor Inputs, Tensor Labels) Batch(ImageDataset data, ReadOnlySpan<int> indices)
    {
        var size = data.ImageSize;
        var pixels = new byte[indices.Length * size];
        var labels = new long[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            data.Image(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = data.Labels[indices[i]];
        }

        var inputs = Normalize(tensor(pixels, [indices.Length, data.Channels, data.Height, data.Width]));
        return (inputs, tensor(labels, device: _device));
    }

    private Tensor Normalize(Tensor bytes) => bytes.to(_device).to_type(ScalarType.Float32).div_(127.5).sub_(1.0);

    private void CheckShape(ImageDataset data)
    {
        var input = _spec.Input;
        if (data.Channels != input.Channels || data.Height != input.Height || data.Width != input.Width)
        {
            throw new ArgumentException(
                $"dataset images are {data.Channels}x{data.Height}x{data.Width} but the model was built for " +
                $"{input.Channels}x{input.Height}x{input.Width}; build the model from this dataset's shape.", nameof(data));
        }

        if (data.ClassNames.Count > _spec.ClassCount)
        {
            throw new ArgumentException(
                $"dataset has {data.ClassNames.Count} classes but the model predicts {_spec.ClassCount}.", nameof(data));
        }
    }
}
