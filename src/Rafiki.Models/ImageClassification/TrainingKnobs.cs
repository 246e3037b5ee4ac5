using System.Collections.Immutable;
using Rafiki.Tuning;
using TorchSharp;
using TorchSharp.Modules;

namespace Rafiki.Models.ImageClassification;

/// <summary>The optimizer and batch knobs that every built-in image classifier shares.</summary>
public static class TrainingKnobs
{
    /// <summary>Knob names, as used in train-job specs.</summary>
    public const string Optimizer = "optimizer";

    /// <inheritdoc cref="Optimizer"/>
    public const string AdamLearningRate = "adam_learning_rate";

    /// <inheritdoc cref="Optimizer"/>
    public const string SgdLearningRate = "sgd_learning_rate";

    /// <inheritdoc cref="Optimizer"/>
    public const string Momentum = "momentum";

    /// <inheritdoc cref="Optimizer"/>
    public const string WeightDecay = "weight_decay";

    /// <inheritdoc cref="Optimizer"/>
    public const string BatchSize = "batch_size";

    /// <summary>
    /// Declares the shared knobs. Learning rates are tuned per optimizer because Adam and SGD work in ranges an
    /// order of magnitude apart: 3e-4 to 3e-3 for Adam, 1e-2 to 1e-1 for SGD with momentum.
    /// </summary>
    public static IEnumerable<KnobDefinition> Declare(params long[] batchSizes)
    {
        var sgd = ImmutableArray.Create(KnobValue.Of("sgd"));
        yield return new CategoricalKnob(Optimizer, [KnobValue.Of("adam"), KnobValue.Of("sgd")]);
        yield return new FloatKnob(AdamLearningRate, 3e-4, 3e-3, KnobScale.Log)
        {
            Condition = new KnobCondition(Optimizer, [KnobValue.Of("adam")]),
        };
        yield return new FloatKnob(SgdLearningRate, 1e-2, 1e-1, KnobScale.Log) { Condition = new KnobCondition(Optimizer, sgd) };
        yield return new FloatKnob(Momentum, 0.8, 0.95) { Condition = new KnobCondition(Optimizer, sgd) };
        yield return new FloatKnob(WeightDecay, 1e-6, 1e-3, KnobScale.Log);
        yield return new CategoricalKnob(BatchSize, [.. batchSizes.Select(size => KnobValue.Of(size))]);
    }

    /// <summary>Builds the optimizer that the knobs describe.</summary>
    public static torch.optim.Optimizer Create(IEnumerable<Parameter> parameters, Knobs knobs)
    {
        var weightDecay = knobs.GetDouble(WeightDecay);
        return knobs.GetString(Optimizer) switch
        {
            "sgd" => torch.optim.SGD(
                parameters, knobs.GetDouble(SgdLearningRate), momentum: knobs.GetDouble(Momentum), weight_decay: weightDecay),
            _ => torch.optim.Adam(parameters, knobs.GetDouble(AdamLearningRate), weight_decay: weightDecay),
        };
    }
}
