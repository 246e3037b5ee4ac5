using Rafiki.Tuning.Numerics;

namespace Rafiki.Tuning.Advisors;

/// <summary>
/// The logarithm of expected improvement over an incumbent for a maximised target:
/// EI = σ h(z) with z = (μ - best) / σ and h(z) = φ(z) + z Φ(z). Working in logs keeps candidates far below the
/// incumbent comparable, where EI itself underflows to 0.
/// </summary>
internal static class ExpectedImprovement
{
    /// <summary>
    /// Returns log EI for posterior mean <paramref name="mean"/> and variance <paramref name="variance"/>.
    /// </summary>
    public static double Log(double mean, double variance, double best)
    {
        var deviation = Math.Sqrt(variance);
        return Math.Log(deviation) + LogH((mean - best) / deviation);
    }

    /// <summary>Returns log h(z).</summary>
    public static double LogH(double z)
    {
        if (z > -6)
        {
            return Math.Log(NormalDistribution.Pdf(z) + (z * NormalDistribution.Cdf(z)));
        }

        // Below -6 the sum cancels badly. The asymptotic series of Mills' ratio gives
        // h(z) = φ(z) (1/z² - 3/z⁴ + 15/z⁶ - 105/z⁸ + ...), whose next term is under 1e-3 relative here.
        var inverseSquare = 1 / (z * z);
        var series = inverseSquare * (1 - (inverseSquare * (3 - (inverseSquare * (15 - (105 * inverseSquare))))));
        return NormalDistribution.LogPdf(z) + Math.Log(series);
    }
}
