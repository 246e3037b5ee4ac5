namespace Rafiki.Tuning.Advisors;

/// <summary>A finished trial as an advisor sees it: its knobs and its score, where higher is better.</summary>
public sealed record Observation(Knobs Knobs, double Score);

/// <summary>Everything an advisor may use to propose one set of knobs.</summary>
/// <param name="Space">The knob space to propose from.</param>
/// <param name="Observations">Finished trials in this space, in the order they finished.</param>
/// <param name="Pending">Knobs of trials that are running and have no score yet.</param>
/// <param name="Seed">The study's random seed.</param>
/// <param name="ProposalNumber">0 for the first proposal of the study, then 1, 2, ...</param>
public sealed record AdvisorContext(
    KnobSpace Space,
    IReadOnlyList<Observation> Observations,
    IReadOnlyList<Knobs> Pending,
    int Seed,
    int ProposalNumber)
{
    /// <summary>
    /// Returns a random source that depends only on the seed and the proposal number, in every process.
    /// </summary>
    public Random CreateRandom()
    {
        // HashCode.Combine is seeded randomly per process, so it would give other proposals after a restart.
        // The SplitMix64 finaliser mixes the two numbers the same way everywhere.
        var mixed = ((ulong)(uint)Seed << 32) | (uint)ProposalNumber;
        mixed += 0x9E3779B97F4A7C15;
        mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9;
        mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EB;
        mixed ^= mixed >> 31;
        return new Random((int)(mixed & int.MaxValue));
    }
}
