namespace Rafiki.Tuning.EarlyStopping;

/// <summary>Settings of the early-stopping rules; each rule reads only its own fields.</summary>
public sealed record EarlyStoppingOptions
{
    /// <summary>Median rule: epochs every trial runs before it can be pruned.</summary>
    public int WarmupEpochs { get; init; } = 1;

    /// <summary>Median rule: other trials that must have reported an epoch before a trial is judged at it.</summary>
    public int MinTrials { get; init; } = 5;

    /// <summary>ASHA: epochs of the lowest rung, the resource every trial gets before its first judgment.</summary>
    public int MinEpochs { get; init; } = 1;

    /// <summary>
    /// ASHA: rungs lie at <c>MinEpochs * ReductionFactor^k</c>, and the top 1/ReductionFactor continue at each.
    /// </summary>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>Checks that every setting is in range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        Require(WarmupEpochs >= 0, nameof(WarmupEpochs), WarmupEpochs, "0 or more");
        Require(MinTrials >= 1, nameof(MinTrials), MinTrials, "1 or more");
        Require(MinEpochs >= 1, nameof(MinEpochs), MinEpochs, "1 or more");
        Require(ReductionFactor >= 2, nameof(ReductionFactor), ReductionFactor, "2 or more");
    }

    private static void Require(bool valid, string name, int value, string range)
    {
        if (!valid)
        {
            throw new ArgumentException($"early-stopping option {name} = {value} is invalid; use {range}.", name);
        }
    }
}
