namespace Rafiki.Tuning.Advisors;

/// <summary>
/// Enumerates a grid of the knob space deterministically. Proposal N is grid point N (modulo the grid size), or
/// the first point after it, in grid order and wrapping around, that no observed or pending trial has. Once every
/// point has been tried, proposal N repeats point N. Float knobs get <see cref="PointsPerNumericKnob"/> evenly
/// spaced values in their scale, and so do integer knobs with more integers than that. Categorical knobs get all
/// their values. The seed plays no part.
/// </summary>
public sealed class GridAdvisor : IAdvisor
{
    /// <summary>Grid points per numeric knob when none is given.</summary>
    public const int DefaultPointsPerNumericKnob = 5;

    /// <summary>Creates a grid advisor.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pointsPerNumericKnob"/> is below 2.</exception>
    public GridAdvisor(int pointsPerNumericKnob = DefaultPointsPerNumericKnob)
    {
        if (pointsPerNumericKnob < 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(pointsPerNumericKnob), pointsPerNumericKnob,
                "grid points per numeric knob must be 2 or more, so that both ends of the range are tried.");
        }

        PointsPerNumericKnob = pointsPerNumericKnob;
    }

    /// <summary>Grid points per float knob, and per integer knob with more integers than this.</summary>
    public int PointsPerNumericKnob { get; }

    public string Name => AdvisorNames.Grid;

    /// <summary>
    /// Returns the number of grid points of <paramref name="space"/>, saturated at <see cref="long.MaxValue"/>.
    /// </summary>
    public long CountPoints(KnobSpace space) => new KnobGrid(space, PointsPerNumericKnob).Count;

    public Knobs Propose(AdvisorContext context)
    {
        var grid = new KnobGrid(context.Space, PointsPerNumericKnob);
        var taken = context.Observations.Select(observation => observation.Knobs)
            .Concat(context.Pending)
            .ToHashSet();
        var start = context.ProposalNumber % grid.Count;

        // Distinct indices decode to distinct points, so one of the first taken.Count + 1 indices is free
        // unless the grid is smaller than that.
        var steps = Math.Min(grid.Count, taken.Count + 1L);
        for (long step = 0; step < steps; step++)
        {
            var index = step < grid.Count - start ? start + step : step - (grid.Count - start);
            var point = grid.Decode(index);
            if (!taken.Contains(point))
            {
                return point;
            }
        }

        return grid.Decode(start);
    }
}
