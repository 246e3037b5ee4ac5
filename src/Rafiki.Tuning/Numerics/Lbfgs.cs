namespace Rafiki.Tuning.Numerics;

/// <summary>
/// Limited-memory BFGS minimisation in a box (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithm 7.4)
/// with a backtracking Armijo line search. Steps are projected onto the box, which is enough for the smooth,
/// mostly interior problems of hyperparameter fitting, though not a full L-BFGS-B.
/// </summary>
internal static class Lbfgs
{
    private const int Memory = 8;

    /// <summary>Objective: writes the gradient at x and returns the value; +∞ marks an invalid point.</summary>
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>Returns the best point found from <paramref name="start"/> and its value.</summary>
    public static (double[] Point, double Value) Minimize(
        Objective objective, double[] start, double[] lower, double[] upper, int maxIterations)
    {
        var size = start.Length;
        var x = Project(start, lower, upper);
        var gradient = new double[size];
        var value = objective(x, gradient);
        if (!double.IsFinite(value))
        {
            return (x, value);
        }

        var steps = new List<double[]>();
        var changes = new List<double[]>();
        var direction = new double[size];
        var nextGradient = new double[size];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Direction(gradient, steps, changes, direction);
            var slope = Cholesky.Dot(direction, gradient);
            if (slope >= 0)
            {
                // Curvature pairs went stale at the box: restart from steepest descent.
                steps.Clear();
                changes.Clear();
                for (var i = 0; i < size; i++)
                {
                    direction[i] = -gradient[i];
                }

                slope = -Cholesky.Dot(gradient, gradient);
            }

            if (slope > -1e-12)
            {
                break;
            }

            // The first step has no curvature information: scale it to move about one unit.
            var stepSize = steps.Count == 0 ? Math.Min(1.0, 1.0 / Math.Sqrt(-slope)) : 1.0;
            double[]? candidate = null;
            var candidateValue = double.PositiveInfinity;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var trial = new double[size];
                for (var i = 0; i < size; i++)
                {
                    trial[i] = Math.Clamp(x[i] + (stepSize * direction[i]), lower[i], upper[i]);
                }

                var trialValue = objective(trial, nextGradient);
                if (double.IsFinite(trialValue) && trialValue <= value + (1e-4 * stepSize * slope))
                {
                    candidate = trial;
                    candidateValue = trialValue;
                    break;
                }

                stepSize *= 0.5;
            }

            if (candidate is null)
            {
                break;
            }

            var step = new double[size];
            var change = new double[size];
            for (var i = 0; i < size; i++)
            {
                step[i] = candidate[i] - x[i];
                change[i] = nextGradient[i] - gradient[i];
            }

            if (Cholesky.Dot(step, change) > 1e-10)
            {
                steps.Add(step);
                changes.Add(change);
                if (steps.Count > Memory)
                {
                    steps.RemoveAt(0);
                    changes.RemoveAt(0);
                }
            }

            var improvement = value - candidateValue;
            x = candidate;
            value = candidateValue;
            Array.Copy(nextGradient, gradient, size);
            if (improvement < 1e-9 * Math.Max(1.0, Math.Abs(value)))
            {
                break;
            }
        }

        return (x, value);
    }

    private static void Direction(double[] gradient, List<double[]> steps, List<double[]> changes, double[] direction)
    {
        // Two-loop recursion: direction = -H g with H the L-BFGS inverse Hessian estimate.
        var count = steps.Count;
        var alphas = new double[count];
        for (var i = 0; i < gradient.Length; i++)
        {
            direction[i] = -gradient[i];
        }

        for (var k = count - 1; k >= 0; k--)
        {
            var rho = 1.0 / Cholesky.Dot(changes[k], steps[k]);
            alphas[k] = rho * Cholesky.Dot(steps[k], direction);
            for (var i = 0; i < direction.Length; i++)
            {
                direction[i] -= alphas[k] * changes[k][i];
            }
        }

        if (count > 0)
        {
            var scale = Cholesky.Dot(steps[^1], changes[^1]) / Cholesky.Dot(changes[^1], changes[^1]);
            for (var i = 0; i < direction.Length; i++)
            {
                direction[i] *= scale;
            }
        }

        for (var k = 0; k < count; k++)
        {
            var rho = 1.0 / Cholesky.Dot(changes[k], steps[k]);
            var beta = rho * Cholesky.Dot(changes[k], direction);
            for (var i = 0; i < direction.Length; i++)
            {
                direction[i] += (alphas[k] - beta) * steps[k][i];
            }
        }
    }

    private static double[] Project(double[] point, double[] lower, double[] upper) =>
        [.. point.Select((value, i) => Math.Clamp(value, lower[i], upper[i]))];
}
