namespace Rafiki.Tuning.Advisors;

/// <summary>Draws every knob independently and uniformly in its scale.</summary>
public sealed class RandomAdvisor : IAdvisor
{
    public string Name => AdvisorNames.Random;

    public Knobs Propose(AdvisorContext context) => context.Space.Sample(context.CreateRandom());
}
