namespace Rafiki.Tuning;

/// <summary>
/// Derives seeds from a base seed and an index, the same in every process. <see cref="HashCode.Combine{T1,T2}"/>
/// cannot serve here because .NET randomises it per process, which would change knobs and data order after a restart.
/// </summary>
public static class Seeds
{
    /// <summary>Returns a non-negative seed mixed from <paramref name="seed"/> and <paramref name="index"/> (SplitMix64 finaliser).</summary>
    public static int Derive(int seed, int index)
    {
        var z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
