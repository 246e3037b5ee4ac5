namespace Rafiki.Batching.Simulation;

/// <summary>
/// Multiplicative log-normal noise with mean 1, so noisy latencies keep the mean of the noiseless ones.
/// </summary>
internal static class LatencyNoise
{
    public static void RequireValidSigma(double sigma, string name)
    {
        if (!(sigma >= 0) || double.IsInfinity(sigma))
        {
            throw new ArgumentException(
                $"{name} is {sigma}, which is invalid; give the log-normal sigma, such as 0.1, or 0 for no noise.",
                name);
        }
    }

    /// <summary>Returns a factor exp(sigma * Z - sigma^2 / 2) with Z standard normal.</summary>
    public static double Factor(double sigma, Random random)
    {
        if (sigma == 0)
        {
            return 1;
        }

        // Box-Muller transform; 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
        var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
        var normal = radius * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Exp((sigma * normal) - (sigma * sigma / 2));
    }
}
