using Rafiki.Core;
using Rafiki.Models.Torch;
using Rafiki.Tuning;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Rafiki.Models.ImageClassification;

/// <summary>
/// A residual network sized for small images such as 28x28: a stride-2 3x3 stem, then three stages of basic
/// blocks (two 3x3 convolutions with batch norm and an identity or 1x1 shortcut) at width w, 2w and 4w, halving
/// the resolution between stages, then global average pooling and a linear classifier.
/// </summary>
public sealed class ResNetFamily : IModelFamily
{
    /// <summary>Channels of the stem and the first stage.</summary>
    public const string Width = "width";

    /// <summary>Basic blocks per stage.</summary>
    public const string BlocksPerStage = "blocks_per_stage";

    /// <inheritdoc />
    public string Name => "resnet";

    /// <inheritdoc />
    public TaskType Task => TaskType.ImageClassification;

    /// <inheritdoc />
    public string Description => "Residual network with batch norm, three stages; slower, more accurate with more epochs.";

    /// <inheritdoc />
    public KnobSpace KnobSpace { get; } = new(
    [
        new CategoricalKnob(Width, [16, 24]) { Architecture = true },
        new CategoricalKnob(BlocksPerStage, [1, 2]) { Architecture = true },
        .. TrainingKnobs.Declare(64, 128),
    ]);

    /// <inheritdoc />
    public IModel Create(ModelSpec spec)
    {
        KnobSpace.CheckContains(spec.Knobs);
        var width = spec.Knobs.GetInt(Width);
        var blocks = spec.Knobs.GetInt(BlocksPerStage);
        var network = TorchSeed.Build(spec.Seed, () =>
        {
            var layers = new List<(string, Module<Tensor, Tensor>)>
            {
                ("stem", Conv2d(spec.Input.Channels, width, 3, stride: 2, padding: 1, bias: false)),
                ("stem_bn", BatchNorm2d(width)),
                ("stem_relu", ReLU()),
            };
            var channels = width;
            for (var stage = 0; stage < 3; stage++)
            {
                var stageWidth = width << stage;
                for (var block = 0; block < blocks; block++)
                {
                    var stride = stage > 0 && block == 0 ? 2 : 1;
                    layers.Add(($"stage{stage + 1}_block{block + 1}", new BasicBlock($"block{stage}{block}", channels, stageWidth, stride)));
                    channels = stageWidth;
                }
            }

            layers.Add(("pool", AdaptiveAvgPool2d(1)));
            layers.Add(("flatten", Flatten()));
            layers.Add(("fc", Linear(channels, spec.ClassCount)));
            return Sequential(layers);
        });
        return new ImageClassifier(network, spec);
    }
}
