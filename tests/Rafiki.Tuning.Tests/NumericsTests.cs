using Rafiki.Tuning.Advisors;
using Rafiki.Tuning.Numerics;

namespace Rafiki.Tuning.Tests;

public class NumericsTests
{
    private static double[] RandomSpd(int n, int seed)
    {
        var random = new Random(seed);
        var b = Enumerable.Range(0, n * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = i == j ? 0.5 : 0.0;
                for (var k = 0; k < n; k++)
                {
                    sum += b[(i * n) + k] * b[(j * n) + k];
                }

                a[(i * n) + j] = sum;
            }
        }

        return a;
    }

    [Fact]
    public void Cholesky_inverse_times_matrix_is_identity()
    {
        const int n = 7;
        var a = RandomSpd(n, seed: 1);

        var inverse = Cholesky.TryFactor(a, n)!.Inverse();

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var product = Enumerable.Range(0, n).Sum(k => a[(i * n) + k] * inverse[(k * n) + j]);
                Assert.Equal(i == j ? 1.0 : 0.0, product, 1e-9);
            }
        }
    }

    [Fact]
    public void Cholesky_solve_matches_matrix_product()
    {
        const int n = 6;
        var a = RandomSpd(n, seed: 2);
        var x = new[] { 1.0, -2, 3, 0.5, 0, 4 };
        var b = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(k => a[(i * n) + k] * x[k])).ToArray();

        Cholesky.TryFactor(a, n)!.Solve(b);

        Assert.Equal(x, b, (p, q) => Math.Abs(p - q) < 1e-9);
    }

    [Fact]
    public void Cholesky_rejects_indefinite_matrix()
    {
        Assert.Null(Cholesky.TryFactor([1, 2, 2, 1], 2));
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.841344746068543)]
    [InlineData(-2.0, 0.0227501319481792)]
    [InlineData(-8.0, 6.22096057427178e-16)]
    public void Normal_cdf_matches_reference_values(double z, double expected)
    {
        Assert.Equal(expected, NormalDistribution.Cdf(z), expected * 1e-6);
    }

    [Fact]
    public void Log_ei_continuous_at_series_switch()
    {
        var below = ExpectedImprovement.LogH(-6.0000001);
        var above = ExpectedImprovement.LogH(-5.9999999);

        Assert.Equal(above, below, 1e-3);
        Assert.True(ExpectedImprovement.LogH(-40) > double.NegativeInfinity);
        Assert.True(ExpectedImprovement.LogH(-40) < ExpectedImprovement.LogH(-39));
    }

    [Fact]
    public void Lbfgs_finds_rosenbrock_minimum()
    {
        static double Rosenbrock(ReadOnlySpan<double> x, Span<double> gradient)
        {
            gradient[0] = (-400 * x[0] * (x[1] - (x[0] * x[0]))) - (2 * (1 - x[0]));
            gradient[1] = 200 * (x[1] - (x[0] * x[0]));
            return (100 * Math.Pow(x[1] - (x[0] * x[0]), 2)) + Math.Pow(1 - x[0], 2);
        }

        var (point, value) = Lbfgs.Minimize(Rosenbrock, [-1.2, 1], [-5, -5], [5, 5], maxIterations: 200);

        Assert.Equal(1.0, point[0], 1e-3);
        Assert.Equal(1.0, point[1], 1e-3);
        Assert.True(value < 1e-6, $"value {value}");
    }

    [Fact]
    public void Marginal_likelihood_gradient_matches_differences()
    {
        const int n = 12;
        const int d = 3;
        var random = new Random(4);
        var points = Enumerable.Range(0, n * d).Select(_ => random.NextDouble()).ToArray();
        var targets = Enumerable.Range(0, n).Select(i => Math.Sin(5 * points[i * d]) + points[(i * d) + 1]).ToArray();
        var likelihood = new GpMarginalLikelihood(points, targets, n, d);
        var theta = new[] { Math.Log(0.3), Math.Log(0.7), Math.Log(2.0), Math.Log(1.5), Math.Log(0.01) };
        var gradient = new double[theta.Length];

        likelihood.Evaluate(theta, gradient);

        var scratch = new double[theta.Length];
        for (var p = 0; p < theta.Length; p++)
        {
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[p] += 1e-6;
            minus[p] -= 1e-6;
            var numeric = (likelihood.Evaluate(plus, scratch) - likelihood.Evaluate(minus, scratch)) / 2e-6;
            Assert.Equal(numeric, gradient[p], 1e-4 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void Gp_posterior_interpolates_noise_free_points()
    {
        var points = new[] { 0.1, 0.5, 0.9 };
        var targets = new[] { 1.0, -1.0, 0.5 };
        var process = GaussianProcess.Condition(points, targets, 3, 1, new GpHyperparameters([0.3], 1.0, 1e-8));
        var scratch = new double[3];

        for (var i = 0; i < 3; i++)
        {
            var (mean, variance) = process.Predict([points[i]], scratch);
            Assert.Equal(targets[i], mean, 1e-4);
            Assert.True(variance < 1e-4, $"variance {variance} at a conditioning point");
        }

        Assert.True(process.Predict([0.3], scratch).Variance > 0.01);
    }

    [Fact]
    public void Log_gap_targets_compress_bad_tail()
    {
        double[] scores = [0, -1, -2, -1000];

        var linear = GpTargets.Transform(scores, GpTargetTransform.Standardize, proposalNumber: 0);
        var logGap = GpTargets.Transform(scores, GpTargetTransform.LogGap, proposalNumber: 0);

        // In the linear view the three good trials are nearly tied; the log view keeps them apart.
        Assert.True(linear[0] - linear[2] < 0.01, $"linear {string.Join(", ", linear)}");
        Assert.True(logGap[0] - logGap[2] > 0.2, $"log gap {string.Join(", ", logGap)}");
        Assert.Equal(0, logGap.Average(), 1e-9);
        Assert.Equal([0, 1, 2, 3], Enumerable.Range(0, 4).OrderByDescending(i => logGap[i]));
    }

    [Fact]
    public void Alternate_targets_switch_by_proposal()
    {
        double[] scores = [0, -1, -2, -1000];

        Assert.Equal(
            GpTargets.Transform(scores, GpTargetTransform.Standardize, 0),
            GpTargets.Transform(scores, GpTargetTransform.Alternate, 4));
        Assert.Equal(
            GpTargets.Transform(scores, GpTargetTransform.LogGap, 0),
            GpTargets.Transform(scores, GpTargetTransform.Alternate, 5));
    }
}
