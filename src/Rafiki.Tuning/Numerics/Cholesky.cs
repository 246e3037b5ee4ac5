using System.Numerics;

namespace Rafiki.Tuning.Numerics;

/// <summary>
/// Cholesky factor L of a symmetric positive-definite matrix A = L Lᵀ, stored row-major in the lower triangle.
/// </summary>
internal sealed class Cholesky
{
    private readonly double[] _lower;

    private Cholesky(double[] lower, int size)
    {
        _lower = lower;
        Size = size;
    }

    /// <summary>Order of the matrix.</summary>
    public int Size { get; }

    /// <summary>
    /// Returns the factor of the row-major <paramref name="matrix"/>, or null when it is not positive definite.
    /// </summary>
    public static Cholesky? TryFactor(ReadOnlySpan<double> matrix, int size)
    {
        var lower = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            var rowI = lower.AsSpan(i * size, size);
            for (var j = 0; j <= i; j++)
            {
                var rowJ = lower.AsSpan(j * size, j);
                var sum = matrix[(i * size) + j] - Dot(rowI[..j], rowJ);
                if (i == j)
                {
                    if (!(sum > 0))
                    {
                        return null;
                    }

                    rowI[i] = Math.Sqrt(sum);
                }
                else
                {
                    rowI[j] = sum / lower[(j * size) + j];
                }
            }
        }

        return new Cholesky(lower, size);
    }

    /// <summary>Returns Σ log Lᵢᵢ, which is half of log det A.</summary>
    public double HalfLogDeterminant()
    {
        var sum = 0.0;
        for (var i = 0; i < Size; i++)
        {
            sum += Math.Log(_lower[(i * Size) + i]);
        }

        return sum;
    }

    /// <summary>Solves L x = b in place.</summary>
    public void SolveLower(Span<double> vector)
    {
        for (var i = 0; i < Size; i++)
        {
            vector[i] = (vector[i] - Dot(_lower.AsSpan(i * Size, i), vector[..i])) / _lower[(i * Size) + i];
        }
    }

    /// <summary>Solves Lᵀ x = b in place.</summary>
    public void SolveUpper(Span<double> vector)
    {
        for (var i = Size - 1; i >= 0; i--)
        {
            var sum = vector[i];
            for (var k = i + 1; k < Size; k++)
            {
                sum -= _lower[(k * Size) + i] * vector[k];
            }

            vector[i] = sum / _lower[(i * Size) + i];
        }
    }

    /// <summary>Solves A x = b in place.</summary>
    public void Solve(Span<double> vector)
    {
        SolveLower(vector);
        SolveUpper(vector);
    }

    /// <summary>Returns A⁻¹, row-major.</summary>
    public double[] Inverse()
    {
        // Column j of L⁻¹ solves L u = e_j and is zero above row j. Storing the columns as rows keeps every inner
        // product contiguous, and A⁻¹ = L⁻ᵀ L⁻¹ gives (A⁻¹)ᵢⱼ = Σ_k (L⁻¹)ₖᵢ (L⁻¹)ₖⱼ over k ≥ max(i, j).
        var n = Size;
        var columns = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            var column = columns.AsSpan(j * n, n);
            column[j] = 1.0 / _lower[(j * n) + j];
            for (var i = j + 1; i < n; i++)
            {
                column[i] = -Dot(_lower.AsSpan((i * n) + j, i - j), column[j..i]) / _lower[(i * n) + i];
            }
        }

        var inverse = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = Dot(columns.AsSpan((i * n) + i, n - i), columns.AsSpan((j * n) + i, n - i));
                inverse[(i * n) + j] = sum;
                inverse[(j * n) + i] = sum;
            }
        }

        return inverse;
    }

    /// <summary>Returns the dot product of two spans of equal length.</summary>
    /// <remarks>
    /// NOTE: the summation order follows the SIMD width (Vector&lt;double&gt;.Count), so the last bits of results,
    /// and in rare ties a GP proposal, can differ between machine types. On one machine type they repeat exactly.
    /// </remarks>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<double>.Count)
        {
            var accumulator = Vector<double>.Zero;
            for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                accumulator += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
            }

            sum = Vector.Sum(accumulator);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
