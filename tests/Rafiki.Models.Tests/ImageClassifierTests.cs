using Rafiki.Models.ImageClassification;
using Rafiki.Models.Torch;
using Rafiki.Storage.Datasets;
using Rafiki.Testing;
using Rafiki.Tuning;

namespace Rafiki.Models.Tests;

public class ImageClassifierTests
{
    private static readonly Lazy<(ImageDataset Train, ImageDataset Test)> Data = new(() => (
        IdxFormat.Read(Fixtures.PathOf("fashion-mnist/train-images-idx3-ubyte.gz"), Fixtures.PathOf("fashion-mnist/train-labels-idx1-ubyte.gz")),
        IdxFormat.Read(Fixtures.PathOf("fashion-mnist/t10k-images-idx3-ubyte.gz"), Fixtures.PathOf("fashion-mnist/t10k-labels-idx1-ubyte.gz"))));

    private static readonly ImageShape FashionShape = new(1, 28, 28);

    public static Knobs CnnKnobs(int channels = 16) => new(new Dictionary<string, KnobValue>
    {
        [SmallCnnFamily.Channels] = channels,
        [SmallCnnFamily.HiddenUnits] = 128,
        [SmallCnnFamily.Dropout] = 0.1,
        [TrainingKnobs.Optimizer] = "adam",
        [TrainingKnobs.AdamLearningRate] = 2e-3,
        [TrainingKnobs.WeightDecay] = 1e-5,
        [TrainingKnobs.BatchSize] = 32,
    });

    public static Knobs ResNetKnobs() => new(new Dictionary<string, KnobValue>
    {
        [ResNetFamily.Width] = 16,
        [ResNetFamily.BlocksPerStage] = 1,
        [TrainingKnobs.Optimizer] = "adam",
        [TrainingKnobs.AdamLearningRate] = 3e-3,
        [TrainingKnobs.WeightDecay] = 1e-5,
        [TrainingKnobs.BatchSize] = 64,
    });

    [Theory]
    [InlineData("small-cnn")]
    [InlineData("resnet")]
    public void One_epoch_on_subset_beats_chance(string familyName)
    {
        var family = ModelZoo.Get(familyName);
        var knobs = familyName == "resnet" ? ResNetKnobs() : CnnKnobs();
        using var model = family.Create(new ModelSpec(knobs, FashionShape, 10, Seed: 1));
        var fractions = new List<double>();

        var epoch = model.TrainEpoch(Data.Value.Train, 1, new SynchronousProgress(fractions.Add), CancellationToken.None);
        var evaluation = model.Evaluate(Data.Value.Test);

        Assert.Equal(1200, epoch.Examples);
        Assert.True(double.IsFinite(epoch.Loss));
        Assert.Equal(1.0, fractions[^1]);
        Assert.True(evaluation.Accuracy > 0.4, $"test accuracy {evaluation.Accuracy} after one epoch is near chance (0.1)");
    }

    [Fact]
    public void Same_seed_builds_same_parameters()
    {
        var family = new SmallCnnFamily();

        using var first = family.Create(new ModelSpec(CnnKnobs(), FashionShape, 10, Seed: 5));
        using var second = family.Create(new ModelSpec(CnnKnobs(), FashionShape, 10, Seed: 5));
        using var third = family.Create(new ModelSpec(CnnKnobs(), FashionShape, 10, Seed: 6));

        Assert.Equal(first.SaveParameters(), second.SaveParameters());
        Assert.NotEqual(first.SaveParameters(), third.SaveParameters());
    }

    [Fact]
    public async Task Concurrent_same_seed_trainings_match()
    {
        var family = new SmallCnnFamily();
        var knobs = CnnKnobs().With(SmallCnnFamily.Dropout, 0.4);
        var data = Data.Value.Train.Slice(0, 256);
        byte[] Train(int seed)
        {
            using var model = family.Create(new ModelSpec(knobs, FashionShape, 10, Seed: seed));
            model.TrainEpoch(data, 1, null, CancellationToken.None);
            model.TrainEpoch(data, 2, null, CancellationToken.None);
            return model.SaveParameters();
        }

        // Two trainings of one seed run side by side with a third of another seed, all drawing dropout masks.
        var runs = await Task.WhenAll(new[] { 3, 3, 4 }.Select(seed => Task.Run(() => Train(seed))));

        Assert.Equal(runs[0], runs[1]);
        Assert.NotEqual(runs[0], runs[2]);
    }

    [Fact]
    public void Seeded_dropout_drops_only_while_training()
    {
        using var dropout = new SeededDropout(0.5);
        using var ones = TorchSharp.torch.ones(4000);
        dropout.Reseed(7);

        dropout.train();
        using var first = dropout.forward(ones);
        dropout.Reseed(7);
        using var again = dropout.forward(ones);
        dropout.eval();
        using var evaluated = dropout.forward(ones);

        var masked = first.data<float>().ToArray();
        Assert.InRange(masked.Count(value => value == 0), 1800, 2200);
        Assert.All(masked, value => Assert.True(value is 0 or 2, $"dropout output {value} is neither 0 nor 1 / (1 - p)"));
        Assert.Equal(masked, again.data<float>().ToArray());
        Assert.All(evaluated.data<float>().ToArray(), value => Assert.Equal(1, value));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededDropout(1.0));
    }

    [Fact]
    public void Saved_parameters_reload_to_same_predictions()
    {
        var family = new SmallCnnFamily();
        using var trained = family.Create(new ModelSpec(CnnKnobs(), FashionShape, 10, Seed: 2));
        trained.TrainEpoch(Data.Value.Train.Slice(0, 256), 1, null, CancellationToken.None);
        using var restored = family.Create(new ModelSpec(CnnKnobs(), FashionShape, 10, Seed: 99));

        var report = restored.LoadParameters(trained.SaveParameters(), strict: true);
        var images = Data.Value.Test.Pixels.AsSpan(0, 5 * 784);

        Assert.Empty(report.Skipped);
        Assert.Equal(trained.PredictProbabilities(images, 5), restored.PredictProbabilities(images, 5));
    }

    [Fact]
    public void Loose_load_skips_tensors_of_other_shapes()
    {
        var family = new SmallCnnFamily();
        using var narrow = family.Create(new ModelSpec(CnnKnobs(channels: 16), FashionShape, 10, Seed: 1));
        using var wide = family.Create(new ModelSpec(CnnKnobs(channels: 32), FashionShape, 10, Seed: 1));

        var report = wide.LoadParameters(narrow.SaveParameters(), strict: false);

        Assert.Contains("fc2.weight", report.Loaded);
        Assert.Contains("conv1.weight", report.Skipped);
        Assert.Throws<InvalidDataException>(() => wide.LoadParameters(narrow.SaveParameters(), strict: true));
    }

    [Fact]
    public void Garbage_checkpoint_is_rejected()
    {
        using var model = new SmallCnnFamily().Create(new ModelSpec(CnnKnobs(), FashionShape, 10, Seed: 1));

        var error = Assert.Throws<InvalidDataException>(() => model.LoadParameters([1, 2, 3, 4, 5, 6], strict: false));

        Assert.Contains("not a Rafiki checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probabilities_sum_to_one_per_image()
    {
        using var model = new ResNetFamily().Create(new ModelSpec(ResNetKnobs(), FashionShape, 10, Seed: 1));

        var probabilities = model.PredictProbabilities(Data.Value.Test.Pixels.AsSpan(0, 3 * 784), 3);

        Assert.Equal(30, probabilities.Length);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1.0, probabilities.AsSpan(i * 10, 10).ToArray().Sum(), 3));
    }

    [Fact]
    public void Knobs_outside_space_are_rejected()
    {
        var knobs = CnnKnobs().With(SmallCnnFamily.Channels, 7);

        var error = Assert.Throws<KnobSpaceException>(() => new SmallCnnFamily().Create(new ModelSpec(knobs, FashionShape, 10, 1)));

        Assert.Contains("knob 'channels': '7' is not one of [16, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_stops_training_between_batches()
    {
        using var model = new SmallCnnFamily().Create(new ModelSpec(CnnKnobs(), FashionShape, 10, Seed: 1));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => model.TrainEpoch(Data.Value.Train, 1, null, cancellation.Token));
    }

    [Fact]
    public void Huge_learning_rate_diverges_with_clear_error()
    {
        var knobs = CnnKnobs().With(TrainingKnobs.Optimizer, "sgd").With(TrainingKnobs.SgdLearningRate, 1e9).With(TrainingKnobs.Momentum, 0.9);
        var loose = new Knobs(knobs.Where(pair => pair.Key != TrainingKnobs.AdamLearningRate));
        using var model = new ImageClassifier(
            TorchSharp.torch.nn.Sequential(TorchSharp.torch.nn.Flatten(), TorchSharp.torch.nn.Linear(784, 10)),
            new ModelSpec(loose, FashionShape, 10, Seed: 1));

        var error = Assert.Throws<ModelDivergedException>(() => model.TrainEpoch(Data.Value.Train, 1, null, CancellationToken.None));

        Assert.Contains("lower the learning rate", error.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
