using TorchSharp;

namespace Rafiki.Models.Torch;

/// <summary>
/// Serialises seeded parameter initialisation. libtorch has one global random generator, so two models built at
/// the same time on different threads would otherwise draw from it in an interleaved, unrepeatable order.
/// </summary>
public static class TorchSeed
{
    private static readonly Lock Gate = new();

    /// <summary>Runs <paramref name="build"/> with the global generator seeded to <paramref name="seed"/>.</summary>
    public static T Build<T>(int seed, Func<T> build)
    {
        lock (Gate)
        {
            torch.random.manual_seed(seed);
            return build();
        }
    }
}
