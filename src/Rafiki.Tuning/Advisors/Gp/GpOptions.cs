namespace Rafiki.Tuning.Advisors;

/// <summary>Settings of <see cref="GpAdvisor"/>.</summary>
public sealed record GpOptions
{
    /// <summary>Observed trials below which proposals are random.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>
    /// Maximum number of observed trials the GP is conditioned on. Beyond it, the best half and an even spread of
    /// the rest are kept. The GP costs O(n³) in this number.
    /// </summary>
    public int MaxHistory { get; init; } = 150;

    /// <summary>
    /// Maximum number of observed trials the hyperparameters are fitted on, chosen like <see cref="MaxHistory"/>.
    /// </summary>
    public int MaxFitHistory { get; init; } = 80;

    /// <summary>Random candidates for expected improvement before local refinement.</summary>
    public int Candidates { get; init; } = 1000;

    /// <summary>Best candidates refined by local search.</summary>
    public int RefinedCandidates { get; init; } = 5;

    /// <summary>How scores become GP targets.</summary>
    public GpTargetTransform Targets { get; init; } = GpTargetTransform.Alternate;

    /// <summary>Checks that every setting is in range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        Require(StartupTrials >= 1, nameof(StartupTrials), StartupTrials, "1 or more");
        Require(MaxHistory >= 2, nameof(MaxHistory), MaxHistory, "2 or more");
        Require(
            MaxFitHistory >= 2 && MaxFitHistory <= MaxHistory,
            nameof(MaxFitHistory),
            MaxFitHistory,
            $"2 to MaxHistory ({MaxHistory})");
        Require(Candidates >= 1, nameof(Candidates), Candidates, "1 or more");
        Require(RefinedCandidates >= 0, nameof(RefinedCandidates), RefinedCandidates, "0 or more");
    }

    private static void Require(bool valid, string name, int value, string range)
    {
        if (!valid)
        {
            throw new ArgumentException($"GP option {name} = {value} is invalid; use {range}.", name);
        }
    }
}
