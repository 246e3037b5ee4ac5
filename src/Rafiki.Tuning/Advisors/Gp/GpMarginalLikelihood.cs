using Rafiki.Tuning.Numerics;

namespace Rafiki.Tuning.Advisors;

/// <summary>
/// The negative log posterior of GP hyperparameters θ = (log ℓ₁..log ℓ_d, log σ², log(σₙ² - jitter)) and its
/// gradient, for fitting by maximum a posteriori. Priors: Gamma(3, 6) on each length scale (mode 1/3, mean 1/2 of
/// the unit cube, as in BoTorch), normal(0, 2²) on log σ², and Gamma(1.1, 0.05) on the noise variance.
/// </summary>
internal sealed class GpMarginalLikelihood
{
    /// <summary>Noise added to the diagonal on top of the fitted noise, for numerical stability.</summary>
    public const double Jitter = 1e-6;

    private readonly double[] _targets;
    private readonly int _count;
    private readonly int _dimensions;

    // Squared coordinate differences of each pair a < b, pair-major: (a, b, j) at pair * dimensions + j.
    private readonly double[] _pairDifferences;

    public GpMarginalLikelihood(double[] points, double[] targets, int count, int dimensions)
    {
        _targets = targets;
        _count = count;
        _dimensions = dimensions;
        _pairDifferences = new double[count * (count - 1) / 2 * dimensions];
        var pair = 0;
        for (var a = 0; a < count; a++)
        {
            for (var b = a + 1; b < count; b++, pair++)
            {
                for (var j = 0; j < dimensions; j++)
                {
                    var d = points[(a * dimensions) + j] - points[(b * dimensions) + j];
                    _pairDifferences[(pair * dimensions) + j] = d * d;
                }
            }
        }
    }

    /// <summary>Number of hyperparameters: the length scales, the signal variance and the noise.</summary>
    public int ParameterCount => _dimensions + 2;

    /// <summary>Returns the hyperparameters that θ stands for.</summary>
    public GpHyperparameters ToHyperparameters(ReadOnlySpan<double> theta) => new(
        [.. theta[.._dimensions].ToArray().Select(Math.Exp)],
        Math.Exp(theta[_dimensions]),
        Jitter + Math.Exp(theta[_dimensions + 1]));

    /// <summary>
    /// Returns the negative log posterior at θ and writes its gradient; +∞ where the kernel matrix is singular.
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var n = _count;
        var d = _dimensions;
        var inverseSquaredScales = new double[d];
        for (var j = 0; j < d; j++)
        {
            inverseSquaredScales[j] = Math.Exp(-2 * theta[j]);
        }

        var signal = Math.Exp(theta[d]);
        var noise = Math.Exp(theta[d + 1]);
        var kernel = new double[n * n];
        var factors = new double[n * (n - 1) / 2];
        var pair = 0;
        for (var a = 0; a < n; a++)
        {
            kernel[(a * n) + a] = signal + noise + Jitter;
            for (var b = a + 1; b < n; b++, pair++)
            {
                var r2 = Cholesky.Dot(_pairDifferences.AsSpan(pair * d, d), inverseSquaredScales);
                var value = signal * MaternKernel.Correlation(r2);
                kernel[(a * n) + b] = value;
                kernel[(b * n) + a] = value;
                factors[pair] = signal * MaternKernel.LengthScaleFactor(r2);
            }
        }

        var cholesky = Cholesky.TryFactor(kernel, n);
        if (cholesky is null)
        {
            return double.PositiveInfinity;
        }

        var alpha = (double[])_targets.Clone();
        cholesky.Solve(alpha);
        var negativeLogLikelihood = (0.5 * Cholesky.Dot(_targets, alpha)) + cholesky.HalfLogDeterminant()
            + (0.5 * n * Math.Log(2 * Math.PI));

        // ∂(-log p(y|θ))/∂θ = -½ tr(W ∂K/∂θ) with W = α αᵀ - K⁻¹.
        var inverse = cholesky.Inverse();
        gradient.Clear();
        var diagonalTrace = 0.0;
        for (var a = 0; a < n; a++)
        {
            diagonalTrace += (alpha[a] * alpha[a]) - inverse[(a * n) + a];
        }

        var signalGradient = -0.5 * diagonalTrace * signal;
        pair = 0;
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++, pair++)
            {
                var w = (alpha[a] * alpha[b]) - inverse[(a * n) + b];

                // Each off-diagonal pair appears twice in the trace.
                signalGradient -= w * kernel[(a * n) + b];
                var scale = w * factors[pair];
                var differences = _pairDifferences.AsSpan(pair * d, d);
                for (var j = 0; j < d; j++)
                {
                    gradient[j] -= scale * differences[j];
                }
            }
        }

        for (var j = 0; j < d; j++)
        {
            gradient[j] *= inverseSquaredScales[j];
        }

        gradient[d] = signalGradient;
        gradient[d + 1] = -0.5 * diagonalTrace * noise;
        return negativeLogLikelihood + AddNegativeLogPrior(theta, gradient);
    }

    private double AddNegativeLogPrior(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        // Priors on positive quantities, written in their logarithm θ, so each includes the Jacobian e^θ.
        var d = _dimensions;
        var value = 0.0;
        for (var j = 0; j < d; j++)
        {
            // Gamma(3, 6) on ℓ: log p(θ) = 3θ - 6 e^θ + constant.
            value -= (3 * theta[j]) - (6 * Math.Exp(theta[j]));
            gradient[j] -= 3 - (6 * Math.Exp(theta[j]));
        }

        value += theta[d] * theta[d] / 8;
        gradient[d] += theta[d] / 4;

        // Gamma(1.1, 0.05) on the noise variance: log p(θ) = 1.1θ - 0.05 e^θ + constant.
        value -= (1.1 * theta[d + 1]) - (0.05 * Math.Exp(theta[d + 1]));
        gradient[d + 1] -= 1.1 - (0.05 * Math.Exp(theta[d + 1]));
        return value;
    }
}
