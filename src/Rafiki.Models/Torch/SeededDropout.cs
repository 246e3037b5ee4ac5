using static TorchSharp.torch;

namespace Rafiki.Models.Torch;

/// <summary>
/// Dropout that draws its masks from a generator of its own instead of libtorch's global one. Two trials that
/// train at the same time on different threads would otherwise share one generator, so the masks, and with them
/// the trained weights, would depend on thread timing. <see cref="ImageClassification.ImageClassifier"/> reseeds every such module at
/// the start of each epoch, so an epoch is repeatable whether the trial ran from the start or resumed from a
/// checkpoint.
/// </summary>
public sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _probability;
    private readonly Generator _generator = new(0);

    /// <summary>Creates a dropout layer that zeroes each element with <paramref name="probability"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is not in [0, 1).</exception>
    public SeededDropout(double probability)
        : base(nameof(SeededDropout))
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(probability), probability, $"dropout probability {probability} is invalid; use a value in [0, 1).");
        }

        _probability = probability;
    }

    /// <summary>Restarts the mask sequence from <paramref name="seed"/>.</summary>
    public void Reseed(long seed) => _generator.manual_seed(seed);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (!training || _probability == 0)
        {
            return input.alias();
        }

        // The generator lives on the CPU, so the mask is drawn there and moved to the input's device.
        using var uniform = rand(input.shape, ScalarType.Float32, generator: _generator);
        using var keep = uniform.ge(_probability).to(input.dtype).to(input.device);
        return input.mul(keep).div_(1 - _probability);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _generator.Dispose();
        }

        base.Dispose(disposing);
    }
}
