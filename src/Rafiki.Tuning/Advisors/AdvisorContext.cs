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
    /// <summary>Returns a random source that depends only on the seed and the proposal number.</summary>
    public Random CreateRandom() => new(Seeds.Derive(Seed, ProposalNumber));
}
