using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Rafiki.Models.ImageClassification;

/// <summary>
/// Residual basic block: conv3x3, batch norm, ReLU, conv3x3, batch norm, plus a shortcut (identity, or a strided
/// 1x1 convolution with batch norm when the shape changes), then ReLU.
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? shortcut;

    /// <summary>Builds a block from <paramref name="inChannels"/> to <paramref name="outChannels"/> channels.</summary>
    public BasicBlock(string name, long inChannels, long outChannels, long stride)
        : base(name)
    {
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
        }

        RegisterComponents();
    }

    /// <summary>Applies the block to a batch of feature maps.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var residual = shortcut is null ? input : shortcut.forward(input);
        var output = functional.relu(bn1.forward(conv1.forward(input)));
        output = bn2.forward(conv2.forward(output));
        return functional.relu(output.add_(residual)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            shortcut?.Dispose();
        }

        base.Dispose(disposing);
    }
}
