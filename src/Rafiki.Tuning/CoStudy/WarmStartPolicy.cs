namespace Rafiki.Tuning.CoStudy;

/// <summary>A finished trial whose best checkpoint a new trial may start from.</summary>
/// <param name="TrialId">The earlier trial.</param>
/// <param name="Family">Its model family; warm starts stay within a family.</param>
/// <param name="CheckpointId">Checkpoint of its best epoch.</param>
/// <param name="Score">Validation score of that epoch, higher is better.</param>
public sealed record WarmStartCandidate(string TrialId, string Family, string CheckpointId, double Score);

/// <summary>
/// The alpha-greedy rule of collaborative tuning. With probability alpha a new trial starts from random weights;
/// otherwise it starts from one of the top-k checkpoints of its family. Pure and deterministic for a given random
/// source, so the study master can persist the choice with the trial's start.
/// </summary>
public static class WarmStartPolicy
{
    /// <summary>Returns the top-k candidates of a family, best first (ties: the earlier trial id first).</summary>
    public static IReadOnlyList<WarmStartCandidate> TopK(IEnumerable<WarmStartCandidate> candidates, string family, int k) =>
        candidates.Where(candidate => candidate.Family == family)
            .OrderByDescending(candidate => candidate.Score)
            .ThenBy(candidate => candidate.TrialId, StringComparer.Ordinal)
            .Take(k)
            .ToList();

    /// <summary>Chooses the checkpoint a new trial of <paramref name="family"/> starts from, or null for random weights.</summary>
    /// <param name="settings">CoStudy settings.</param>
    /// <param name="candidates">Finished trials of the study with their best checkpoints.</param>
    /// <param name="family">The new trial's family.</param>
    /// <param name="progress">Share of the study's budget used, 0 to 1.</param>
    /// <param name="random">Random source; the caller seeds it from the study seed and trial number.</param>
    public static WarmStartCandidate? Choose(
        CoStudySettings settings, IEnumerable<WarmStartCandidate> candidates, string family, double progress, Random random)
    {
        if (!settings.Enabled)
        {
            return null;
        }

        var top = TopK(candidates, family, settings.TopK);
        var draw = random.NextDouble();
        if (top.Count == 0 || draw < settings.AlphaAt(progress))
        {
            return null;
        }

        return settings.Choice switch
        {
            WarmStartChoice.Best => top[0],
            WarmStartChoice.Uniform => top[random.Next(top.Count)],
            _ => Weighted(top, random),
        };
    }

    // Weights are scores above the k-th best, plus a floor of a tenth of the spread (or 1 when all tie), so the
    // best gets the most weight but the k-th best still has a chance.
    private static WarmStartCandidate Weighted(IReadOnlyList<WarmStartCandidate> top, Random random)
    {
        var lowest = top[^1].Score;
        var spread = top[0].Score - lowest;
        var floor = spread > 0 ? spread / 10 : 1;
        var weights = top.Select(candidate => candidate.Score - lowest + floor).ToList();
        var target = random.NextDouble() * weights.Sum();
        for (var i = 0; i < top.Count; i++)
        {
            target -= weights[i];
            if (target <= 0)
            {
                return top[i];
            }
        }

        return top[^1];
    }
}
