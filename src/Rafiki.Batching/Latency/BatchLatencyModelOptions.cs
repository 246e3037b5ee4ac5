namespace Rafiki.Batching.Latency;

/// <summary>How <see cref="BatchLatencyModel"/> turns observed batch latencies into estimates.</summary>
/// <param name="Percentile">
/// Percentile of each bucket's recent latencies used as its estimate, in (0, 1]. A high one such as 0.95 keeps
/// most batches within their estimate.
/// </param>
/// <param name="WindowSize">Number of most recent observations each bucket keeps.</param>
/// <param name="MinSamples">
/// Observations a bucket needs before its percentile replaces the warm-up measurement; at most
/// <paramref name="WindowSize"/>.
/// </param>
public sealed record BatchLatencyModelOptions(double Percentile = 0.95, int WindowSize = 128, int MinSamples = 16)
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> that names the first invalid setting, its value and the fix.
    /// </summary>
    public void Validate()
    {
        if (!(Percentile > 0 && Percentile <= 1))
        {
            throw new ArgumentException(
                $"Percentile is {Percentile}, which is invalid; use a fraction in (0, 1], such as 0.95 for p95.",
                nameof(Percentile));
        }

        if (WindowSize < 1)
        {
            throw new ArgumentException(
                $"WindowSize is {WindowSize}, which is invalid; keep at least 1 observation per bucket.",
                nameof(WindowSize));
        }

        if (MinSamples < 1 || MinSamples > WindowSize)
        {
            throw new ArgumentException(
                $"MinSamples is {MinSamples}, which is invalid; use a count from 1 to WindowSize ({WindowSize}).",
                nameof(MinSamples));
        }
    }
}
