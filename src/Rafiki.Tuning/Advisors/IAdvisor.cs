namespace Rafiki.Tuning.Advisors;

/// <summary>
/// Proposes the knobs of the next trial. An advisor keeps no state between calls: everything it needs comes in
/// <see cref="AdvisorContext"/>, which the study master rebuilds from persisted trial results after a restart.
/// The same context and seed must give the same proposal.
/// </summary>
public interface IAdvisor
{
    /// <summary>Name used in train-job specs and on the command line, such as <c>random</c>.</summary>
    string Name { get; }

    /// <summary>Returns the knobs for the next trial in <see cref="AdvisorContext.Space"/>.</summary>
    Knobs Propose(AdvisorContext context);
}
