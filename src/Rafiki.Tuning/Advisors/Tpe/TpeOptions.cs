namespace Rafiki.Tuning.Advisors;

/// <summary>Settings of <see cref="TpeAdvisor"/>; the defaults are those of Optuna 3.1's TPESampler.</summary>
public sealed record TpeOptions
{
    /// <summary>Observed trials below which proposals are random.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>
    /// Candidates drawn from the good-trial density per knob; the one with the largest l(x)/g(x) wins.
    /// </summary>
    public int Candidates { get; init; } = 24;

    /// <summary>Fraction of observed trials, best first and rounded up, that form the good group.</summary>
    public double GoodFraction { get; init; } = 0.1;

    /// <summary>Upper limit on the size of the good group.</summary>
    public int MaxGoodTrials { get; init; } = 25;

    /// <summary>
    /// Maximum number of bad-group trials that g(x) is built from, the newest kept. Optuna has no such limit; it bounds
    /// the cost of a proposal, which is linear in the group size.
    /// </summary>
    public int MaxBadTrials { get; init; } = 400;

    /// <summary>Weight of the prior component (uniform over the knob's values, a broad normal for numbers).</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>Checks that every setting is in range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        Require(StartupTrials >= 0, nameof(StartupTrials), StartupTrials, "0 or more");
        Require(Candidates >= 1, nameof(Candidates), Candidates, "1 or more");
        Require(GoodFraction is > 0 and < 1, nameof(GoodFraction), GoodFraction, "a fraction strictly between 0 and 1");
        Require(MaxGoodTrials >= 1, nameof(MaxGoodTrials), MaxGoodTrials, "1 or more");
        Require(MaxBadTrials >= 1, nameof(MaxBadTrials), MaxBadTrials, "1 or more");
        Require(PriorWeight > 0 && double.IsFinite(PriorWeight), nameof(PriorWeight), PriorWeight, "a positive number");
    }

    private static void Require(bool valid, string name, double value, string range)
    {
        if (!valid)
        {
            throw new ArgumentException($"TPE option {name} = {value} is invalid; use {range}.", name);
        }
    }
}
