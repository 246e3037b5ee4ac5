using Rafiki.Tuning.Numerics;

namespace Rafiki.Tuning.Advisors;

/// <summary>The posterior of a zero-mean GP with a Matérn 5/2 kernel, conditioned on points and targets.</summary>
internal sealed class GaussianProcess
{
    private readonly double[] _points;
    private readonly int _count;
    private readonly int _dimensions;
    private readonly double[] _inverseSquaredScales;
    private readonly double _signal;
    private readonly Cholesky _cholesky;
    private readonly double[] _alpha;

    private GaussianProcess(
        double[] points,
        int count,
        int dimensions,
        double[] inverseSquaredScales,
        double signal,
        Cholesky cholesky,
        double[] alpha)
    {
        _points = points;
        _count = count;
        _dimensions = dimensions;
        _inverseSquaredScales = inverseSquaredScales;
        _signal = signal;
        _cholesky = cholesky;
        _alpha = alpha;
    }

    /// <summary>
    /// Conditions the GP on row-major <paramref name="points"/> and their targets. When the kernel matrix is not
    /// numerically positive definite, the diagonal grows tenfold until it is.
    /// </summary>
    public static GaussianProcess Condition(
        double[] points, double[] targets, int count, int dimensions, GpHyperparameters hyperparameters)
    {
        var inverseSquaredScales = hyperparameters.LengthScales.Select(scale => 1 / (scale * scale)).ToArray();
        var kernel = new double[count * count];
        for (var a = 0; a < count; a++)
        {
            for (var b = 0; b < a; b++)
            {
                var r2 = MaternKernel.ScaledSquaredDistance(
                    points.AsSpan(a * dimensions, dimensions),
                    points.AsSpan(b * dimensions, dimensions),
                    inverseSquaredScales);
                var value = hyperparameters.SignalVariance * MaternKernel.Correlation(r2);
                kernel[(a * count) + b] = value;
                kernel[(b * count) + a] = value;
            }
        }

        var noise = hyperparameters.NoiseVariance;
        for (var attempt = 0; ; attempt++)
        {
            for (var a = 0; a < count; a++)
            {
                kernel[(a * count) + a] = hyperparameters.SignalVariance + noise;
            }

            if (Cholesky.TryFactor(kernel, count) is { } cholesky)
            {
                var alpha = (double[])targets.Clone();
                cholesky.Solve(alpha);
                return new GaussianProcess(
                    points, count, dimensions, inverseSquaredScales, hyperparameters.SignalVariance, cholesky, alpha);
            }

            if (attempt == 8)
            {
                throw new InvalidOperationException(
                    $"the GP kernel matrix of {count} points stayed singular with noise {noise}; " +
                    "the targets may hold non-finite values.");
            }

            noise = Math.Max(noise * 10, 1e-6);
        }
    }

    /// <summary>Number of conditioning points; <see cref="Predict"/> needs a scratch span of this length.</summary>
    public int Count => _count;

    /// <summary>Returns the posterior mean and variance at <paramref name="point"/>.</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> point, Span<double> scratch)
    {
        var covariances = scratch[.._count];
        for (var a = 0; a < _count; a++)
        {
            var other = _points.AsSpan(a * _dimensions, _dimensions);
            var r2 = MaternKernel.ScaledSquaredDistance(point, other, _inverseSquaredScales);
            covariances[a] = _signal * MaternKernel.Correlation(r2);
        }

        var mean = Cholesky.Dot(covariances, _alpha);
        _cholesky.SolveLower(covariances);
        var variance = _signal - Cholesky.Dot(covariances, covariances);
        return (mean, Math.Max(variance, 1e-12));
    }
}
