namespace Rafiki.Batching.Simulation;

/// <summary>Checks and random draws shared by the arrival processes.</summary>
internal static class ArrivalRates
{
    public static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{name} is {value}, which is invalid; give a finite value above 0.", name);
        }
    }

    public static void RequireNonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentException(
                $"{name} is {value}, which is invalid; give a finite value of 0 or more.", name);
        }
    }

    /// <summary>Draws an exponentially distributed gap in milliseconds for a rate per millisecond.</summary>
    public static double ExponentialMs(Random random, double ratePerMs) =>
        -Math.Log(1 - random.NextDouble()) / ratePerMs;
}
