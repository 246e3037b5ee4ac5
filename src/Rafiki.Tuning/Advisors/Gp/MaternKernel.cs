namespace Rafiki.Tuning.Advisors;

/// <summary>
/// The Matérn 5/2 kernel with one length scale per coordinate (automatic relevance determination):
/// k(x, x') = σ² (1 + √5 r + 5r²/3) exp(-√5 r), where r² = Σⱼ ((xⱼ - x'ⱼ) / ℓⱼ)².
/// </summary>
internal static class MaternKernel
{
    public static readonly double Sqrt5 = Math.Sqrt(5);

    /// <summary>
    /// Returns the kernel value for squared scaled distance <paramref name="r2"/> and signal variance 1.
    /// </summary>
    public static double Correlation(double r2)
    {
        var r = Math.Sqrt(r2);
        return (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * Math.Exp(-Sqrt5 * r);
    }

    /// <summary>
    /// Returns -(1/r) ∂k/∂r at signal variance 1, that is 5/3 (1 + √5 r) exp(-√5 r), so that
    /// ∂k/∂(log ℓⱼ) = σ² · this · (xⱼ - x'ⱼ)² / ℓⱼ².
    /// </summary>
    public static double LengthScaleFactor(double r2)
    {
        var r = Math.Sqrt(r2);
        return 5.0 / 3.0 * (1 + (Sqrt5 * r)) * Math.Exp(-Sqrt5 * r);
    }

    /// <summary>Returns Σⱼ (aⱼ - bⱼ)² wⱼ, with w the inverse squared length scales.</summary>
    public static double ScaledSquaredDistance(
        ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> inverseSquaredScales)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            var d = a[j] - b[j];
            sum += d * d * inverseSquaredScales[j];
        }

        return sum;
    }
}
