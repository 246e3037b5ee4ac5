namespace Rafiki.Tuning.Numerics;

/// <summary>
/// The standard normal distribution's density and distribution functions, with logarithms safe in the tails.
/// </summary>
internal static class NormalDistribution
{
    private const double LogSqrtTwoPi = 0.91893853320467274178;

    /// <summary>Returns the density φ(z).</summary>
    public static double Pdf(double z) => Math.Exp(LogPdf(z));

    /// <summary>Returns log φ(z).</summary>
    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrtTwoPi;

    /// <summary>Returns Φ(z), with a relative error below about 1.2e-7.</summary>
    public static double Cdf(double z) => Math.Exp(LogCdf(z));

    /// <summary>Returns log Φ(z); finite down to z of about -1e150, where Φ itself underflows long before.</summary>
    public static double LogCdf(double z) =>
        z < 0 ? Math.Log(0.5) + LogErfc(-z / Math.Sqrt(2)) : Math.Log(1 - (0.5 * Math.Exp(LogErfc(z / Math.Sqrt(2)))));

    /// <summary>
    /// Returns log erfc(x) for x ≥ 0 by the Chebyshev fit of Press et al., Numerical Recipes (2nd ed., §6.2),
    /// whose relative error is below 1.2e-7 for every x. It is written in log form so the far tail keeps its digits.
    /// </summary>
    private static double LogErfc(double x)
    {
        var t = 1.0 / (1.0 + (0.5 * x));
        var polynomial = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        return Math.Log(t) - (x * x) + polynomial;
    }
}
