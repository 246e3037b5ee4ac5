using Rafiki.Inference;
using Rafiki.Models;
using Rafiki.Models.ImageClassification;
using Rafiki.Storage.Checkpoints;
using Rafiki.Storage.Datasets;
using Rafiki.Tuning;

namespace Rafiki.Bench.Inference;

/// <summary>The bench's model: a small CNN trained for one epoch on part of Fashion-MNIST, trained once and reused.</summary>
internal static class BenchModel
{
    /// <summary>Class names of Fashion-MNIST in label order, from the dataset's documentation.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Knobs from the small CNN's space: mid-sized layers, the optimizer the quickstart tends to pick.</summary>
    public static Knobs Knobs { get; } = new(new Dictionary<string, KnobValue>
    {
        [SmallCnnFamily.Channels] = 16,
        [SmallCnnFamily.HiddenUnits] = 128,
        [SmallCnnFamily.Dropout] = 0.1,
        [TrainingKnobs.Optimizer] = "adam",
        [TrainingKnobs.AdamLearningRate] = 1e-3,
        [TrainingKnobs.WeightDecay] = 1e-5,
        [TrainingKnobs.BatchSize] = 64,
    });

    /// <summary>Reads Fashion-MNIST's training and test files.</summary>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to install the dataset.</exception>
    public static (ImageDataset Train, ImageDataset Test) LoadData(string directory)
    {
        string PathOf(string file)
        {
            var path = Path.Combine(directory, file);
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException(
                    $"Fashion-MNIST file {path} was not found; install it with 'apt-get install dataset-fashion-mnist' "
                    + "or pass --fashion-mnist DIR with the four .gz IDX files.", path);
        }

        var train = IdxFormat.Read(PathOf("train-images-idx3-ubyte.gz"), PathOf("train-labels-idx1-ubyte.gz"), ClassNames);
        var test = IdxFormat.Read(PathOf("t10k-images-idx3-ubyte.gz"), PathOf("t10k-labels-idx1-ubyte.gz"), ClassNames);
        return (train, test);
    }

    /// <summary>
    /// Returns the model to deploy, training it for one epoch on the first <paramref name="trainImages"/> images and
    /// saving its checkpoint unless an earlier run saved it already.
    /// </summary>
    public static async Task<DeployedModel> PrepareAsync(
        IParameterStore checkpoints, ImageDataset train, int trainImages, TextWriter output)
    {
        var checkpointId = $"bench-small-cnn-{trainImages}.e1";
        var shape = new ImageShape(train.Channels, train.Height, train.Width);
        if (await checkpoints.LoadAsync(checkpointId) is null)
        {
            output.WriteLine($"Training small-cnn for one epoch on {trainImages} images...");
            using var model = new SmallCnnFamily().Create(new ModelSpec(Knobs, shape, ClassNames.Count, Seed: 1));
            var result = model.TrainEpoch(train.Slice(0, Math.Min(trainImages, train.Count)), 1, null, CancellationToken.None);
            output.WriteLine($"Training accuracy {result.Accuracy:P1}, loss {result.Loss:0.000}.");
            await checkpoints.SaveAsync(checkpointId, model.SaveParameters());
        }

        return new DeployedModel("bench-trial", "small-cnn", Knobs, checkpointId, shape, ClassNames);
    }
}
