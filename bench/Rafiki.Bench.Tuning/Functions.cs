using Rafiki.Tuning;

namespace Rafiki.Bench.Tuning;

/// <summary>
/// The search-quality test functions. bench/optuna_bench.py defines the same functions for Optuna: change both
/// together.
/// </summary>
public static class Functions
{
    /// <summary>Every function, in table order.</summary>
    public static IReadOnlyList<BenchmarkFunction> All { get; } = [Branin(), Hartmann6(), Rosenbrock5(), Mixed()];

    /// <summary>Branin-Hoo on [-5, 10] x [0, 15]; minimum 0.397887 at three points.</summary>
    public static BenchmarkFunction Branin() => new(
        "branin",
        KnobSpace.Of(new FloatKnob("x1", -5, 10), new FloatKnob("x2", 0, 15)),
        knobs =>
        {
            var x1 = knobs.GetDouble("x1");
            var x2 = knobs.GetDouble("x2");
            const double b = 5.1 / (4 * Math.PI * Math.PI);
            const double c = 5 / Math.PI;
            const double t = 1 / (8 * Math.PI);
            var square = x2 - (b * x1 * x1) + (c * x1) - 6;
            return (square * square) + (10 * (1 - t) * Math.Cos(x1)) + 10;
        },
        0.397887357729738);

    private static readonly double[] HartmannAlpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] HartmannA =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] HartmannP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    /// <summary>Hartmann-6 on [0, 1]^6; minimum -3.322368.</summary>
    public static BenchmarkFunction Hartmann6() => new(
        "hartmann6",
        KnobSpace.Of([.. Enumerable.Range(1, 6).Select(i => new FloatKnob($"x{i}", 0, 1))]),
        knobs =>
        {
            var sum = 0.0;
            for (var i = 0; i < 4; i++)
            {
                var exponent = 0.0;
                for (var j = 0; j < 6; j++)
                {
                    var d = knobs.GetDouble($"x{j + 1}") - HartmannP[i, j];
                    exponent += HartmannA[i, j] * d * d;
                }

                sum += HartmannAlpha[i] * Math.Exp(-exponent);
            }

            return -sum;
        },
        -3.32236801141551);

    /// <summary>Rosenbrock in 5 dimensions on [-5, 10]^5; minimum 0 at (1, ..., 1).</summary>
    public static BenchmarkFunction Rosenbrock5() => new(
        "rosenbrock5",
        KnobSpace.Of([.. Enumerable.Range(1, 5).Select(i => new FloatKnob($"x{i}", -5, 10))]),
        knobs =>
        {
            var sum = 0.0;
            for (var i = 1; i < 5; i++)
            {
                var x = knobs.GetDouble($"x{i}");
                var next = knobs.GetDouble($"x{i + 1}");
                sum += (100 * (next - (x * x)) * (next - (x * x))) + ((1 - x) * (1 - x));
            }

            return sum;
        },
        0);

    /// <summary>
    /// A function with categorical and conditional knobs. <c>kind</c> picks a branch, <c>y</c> (log scale) is
    /// active only for <c>quadratic</c> and the integer <c>freq</c> only for <c>sine</c>; <c>x</c> and <c>shift</c>
    /// are always active. The minimum is 0 at kind = quadratic, x = 1.5, y = 0.01, shift = b. The sine branch stays
    /// above 0.1 and the flat branch above 1.
    /// </summary>
    public static BenchmarkFunction Mixed() => new(
        "mixed",
        KnobSpace.Of(
            new CategoricalKnob("kind", ["quadratic", "sine", "flat"]),
            new FloatKnob("x", -5, 5),
            new FloatKnob("y", 1e-3, 1, KnobScale.Log) { Condition = new KnobCondition("kind", ["quadratic"]) },
            new IntegerKnob("freq", 1, 8) { Condition = new KnobCondition("kind", ["sine"]) },
            new CategoricalKnob("shift", ["a", "b", "c"])),
        knobs =>
        {
            var x = knobs.GetDouble("x");
            var offset = knobs.GetString("shift") switch
            {
                "a" => 0.3,
                "b" => 0.0,
                _ => 0.6,
            };
            return knobs.GetString("kind") switch
            {
                "quadratic" => ((x - 1.5) * (x - 1.5))
                    + (5 * Math.Pow(Math.Log10(knobs.GetDouble("y")) + 2, 2))
                    + offset,
                "sine" => 0.5 + (0.1 * (x + 2) * (x + 2)) + (0.4 * Math.Sin(knobs.GetInt("freq") * x)) + offset,
                _ => 1 + (0.05 * x * x) + offset,
            };
        },
        0);
}
