using Rafiki.Models;
using Rafiki.Models.ImageClassification;
using Rafiki.Storage.Checkpoints;
using Rafiki.Storage.Datasets;
using Rafiki.Testing;
using Rafiki.Tuning;

namespace Rafiki.Inference.Tests;

/// <summary>
/// Small CNNs trained for one epoch on the committed Fashion-MNIST test subset, once per test run, and the
/// deployed-model records that point at their checkpoints.
/// </summary>
internal static class TrainedModels
{
    public static readonly ImageShape Shape = new(1, 28, 28);

    public static readonly Knobs CnnKnobs = new(new Dictionary<string, KnobValue>
    {
        [SmallCnnFamily.Channels] = 16,
        [SmallCnnFamily.HiddenUnits] = 64,
        [SmallCnnFamily.Dropout] = 0.0,
        [TrainingKnobs.Optimizer] = "adam",
        [TrainingKnobs.AdamLearningRate] = 2e-3,
        [TrainingKnobs.WeightDecay] = 1e-5,
        [TrainingKnobs.BatchSize] = 32,
    });

    private static readonly Lazy<ImageDataset> TestImages = new(() => IdxFormat.Read(
        Fixtures.PathOf("fashion-mnist/t10k-images-idx3-ubyte.gz"), Fixtures.PathOf("fashion-mnist/t10k-labels-idx1-ubyte.gz")));

    // Different seeds give the two models of an ensemble different parameters.
    private static readonly Lazy<byte[]>[] Parameters = [new(() => Train(seed: 0)), new(() => Train(seed: 7))];

    /// <summary>The committed 400-image Fashion-MNIST test subset.</summary>
    public static ImageDataset Test => TestImages.Value;

    /// <summary>
    /// Saves trained model <paramref name="number"/> (0 or 1) as checkpoint <c>trial-{number}.e1</c> and returns the
    /// model to deploy.
    /// </summary>
    public static async Task<DeployedModel> SaveAsync(IParameterStore checkpoints, int number)
    {
        var checkpointId = $"trial-{number}.e1";
        await checkpoints.SaveAsync(checkpointId, Parameters[number].Value);
        return new DeployedModel($"trial-{number}", "small-cnn", CnnKnobs, checkpointId, Shape, Test.ClassNames);
    }

    /// <summary>Returns trained model <paramref name="number"/> loaded for direct predictions.</summary>
    public static IModel Load(int number)
    {
        var model = new SmallCnnFamily().Create(new ModelSpec(CnnKnobs, Shape, 10, 0));
        model.LoadParameters(Parameters[number].Value, strict: true);
        return model;
    }

    private static byte[] Train(int seed)
    {
        using var model = new SmallCnnFamily().Create(new ModelSpec(CnnKnobs, Shape, 10, seed));
        model.TrainEpoch(Test, 1, null, CancellationToken.None);
        return model.SaveParameters();
    }
}
