namespace Rafiki.Tuning.CoStudy;

/// <summary>How alpha, the chance that a new trial starts from random weights, falls as a study uses its budget.</summary>
public enum AlphaSchedule
{
    /// <summary>alpha = 1 - (1 - MinAlpha) * progress.</summary>
    Linear,

    /// <summary>alpha = max(MinAlpha, exp(-Decay * progress)).</summary>
    Exponential,
}

/// <summary>Which of the top-k checkpoints a warm-started trial takes.</summary>
public enum WarmStartChoice
{
    /// <summary>The checkpoint with the highest score.</summary>
    Best,

    /// <summary>One of the top-k, with probability proportional to its score above the k-th best's (plus a floor).</summary>
    ScoreWeighted,

    /// <summary>Any of the top-k with equal probability.</summary>
    Uniform,
}

/// <summary>
/// Settings of collaborative tuning (CoStudy): trials of a family may start from the parameters of the family's best
/// earlier trials instead of random weights, with their own knobs.
/// </summary>
/// <param name="Enabled">Whether new trials may warm-start at all.</param>
/// <param name="TopK">Checkpoints kept per model family, best validation score first.</param>
/// <param name="Schedule">How alpha falls with the study's progress.</param>
/// <param name="MinAlpha">Lowest alpha: the share of trials that still start from random weights late in the study.</param>
/// <param name="Decay">Rate of the exponential schedule.</param>
/// <param name="Choice">How a warm start picks among the top-k.</param>
public sealed record CoStudySettings(
    bool Enabled = true,
    int TopK = 3,
    AlphaSchedule Schedule = AlphaSchedule.Linear,
    double MinAlpha = 0.2,
    double Decay = 3.0,
    WarmStartChoice Choice = WarmStartChoice.ScoreWeighted)
{
    /// <summary>Settings that never warm-start: plain tuning.</summary>
    public static CoStudySettings Off { get; } = new(Enabled: false);

    /// <summary>Returns alpha for a study that has used <paramref name="progress"/> (0 to 1) of its budget.</summary>
    public double AlphaAt(double progress)
    {
        var p = Math.Clamp(progress, 0, 1);
        return Schedule == AlphaSchedule.Linear
            ? 1 - ((1 - MinAlpha) * p)
            : Math.Max(MinAlpha, Math.Exp(-Decay * p));
    }

    /// <summary>Returns every invalid setting, each naming the value and the fix; empty if valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (TopK is < 1 or > 100)
        {
            problems.Add($"coStudy.topK: {TopK} is invalid; use 1 to 100.");
        }

        if (MinAlpha is < 0 or > 1 || double.IsNaN(MinAlpha))
        {
            problems.Add($"coStudy.minAlpha: {MinAlpha} is invalid; use 0 to 1.");
        }

        if (Decay <= 0 || !double.IsFinite(Decay))
        {
            problems.Add($"coStudy.decay: {Decay} is invalid; use a positive number.");
        }

        return problems;
    }
}
