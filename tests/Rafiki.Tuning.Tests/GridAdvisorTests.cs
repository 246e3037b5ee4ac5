using Rafiki.Tuning.Advisors;

namespace Rafiki.Tuning.Tests;

public class GridAdvisorTests
{
    private static readonly KnobSpace Space = KnobSpace.Of(
        new CategoricalKnob("optimizer", ["adam", "sgd"]),
        new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) },
        new IntegerKnob("layers", 1, 2));

    private static Knobs Point(string optimizer, double? momentum, int layers)
    {
        var values = new Dictionary<string, KnobValue> { ["optimizer"] = optimizer, ["layers"] = layers };
        if (momentum is { } m)
        {
            values["momentum"] = m;
        }

        return new Knobs(values);
    }

    private static Knobs Propose(int number, IReadOnlyList<Observation>? observed = null, IReadOnlyList<Knobs>? pending = null) =>
        new GridAdvisor(pointsPerNumericKnob: 3).Propose(new AdvisorContext(Space, observed ?? [], pending ?? [], Seed: 1, number));

    [Fact]
    public void Grid_enumerates_conditional_space_in_order()
    {
        var points = Enumerable.Range(0, 8).Select(n => Propose(n)).ToList();

        Assert.Equal(
            [
                Point("adam", null, 1), Point("adam", null, 2),
                Point("sgd", 0.5, 1), Point("sgd", 0.5, 2),
                Point("sgd", 0.7, 1), Point("sgd", 0.7, 2),
                Point("sgd", 0.9, 1), Point("sgd", 0.9, 2),
            ],
            points);
    }

    [Fact]
    public void Grid_wraps_after_last_point()
    {
        Assert.Equal(Propose(0), Propose(8));
        Assert.Equal(Propose(3), Propose(11));
    }

    [Fact]
    public void Grid_skips_pending_and_observed_points()
    {
        var observed = new[] { new Observation(Point("sgd", 0.5, 1), 0.3) };
        var pending = new[] { Point("sgd", 0.5, 2) };

        Assert.Equal(Point("sgd", 0.7, 1), Propose(2, observed, pending));
        Assert.Equal(Point("sgd", 0.7, 1), Propose(3, observed, pending));
    }

    [Fact]
    public void Grid_skip_wraps_to_grid_start()
    {
        var pending = new[] { Point("sgd", 0.9, 2) };

        Assert.Equal(Point("adam", null, 1), Propose(7, pending: pending));
    }

    [Fact]
    public void Full_grid_repeats_proposal_point()
    {
        var all = Enumerable.Range(0, 8).Select(n => Propose(n)).ToList();

        Assert.Equal(all[5], Propose(5, pending: all));
    }

    [Fact]
    public void Grid_pending_trials_give_distinct_points()
    {
        var pending = new List<Knobs>();
        for (var n = 0; n < 8; n++)
        {
            // Every free slot asks for proposal 0, as a master that restarts its counter would.
            pending.Add(Propose(0, pending: pending));
        }

        Assert.Equal(8, pending.Distinct().Count());
    }

    [Fact]
    public void Grid_spaces_numeric_values_in_scale()
    {
        var logValues = KnobGrid.GridValues(new FloatKnob("lr", 1, 100, KnobScale.Log), 3);
        Assert.Equal(3, logValues.Length);
        Assert.Equal(1.0, logValues[0].Number);
        Assert.Equal(10.0, logValues[1].Number, 1e-9);
        Assert.Equal(100.0, logValues[2].Number);
        Assert.Equal([1.0, 3.0, 5.0], KnobGrid.GridValues(new IntegerKnob("n", 1, 5), 3).Select(value => value.Number));
        Assert.Equal([1.0, 2.0, 3.0], KnobGrid.GridValues(new IntegerKnob("n", 1, 3), 10).Select(value => value.Number));
    }

    [Fact]
    public void Grid_counts_large_space_without_listing()
    {
        var space = KnobSpace.Of([.. Enumerable.Range(0, 20).Select(i => new FloatKnob($"x{i}", 0, 1))]);
        var grid = new KnobGrid(space, 5);

        Assert.Equal((long)Math.Pow(5, 20), grid.Count);
        Assert.Equal(1.0, grid.Decode(grid.Count - 1).GetDouble("x0"));
    }

    [Fact]
    public void Grid_ignores_seed()
    {
        var advisor = new GridAdvisor();

        Assert.Equal(
            advisor.Propose(new AdvisorContext(Space, [], [], Seed: 1, ProposalNumber: 4)),
            advisor.Propose(new AdvisorContext(Space, [], [], Seed: 2, ProposalNumber: 4)));
    }

    [Fact]
    public void Grid_rejects_single_point_per_knob()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GridAdvisor(1));

        Assert.Contains("grid points per numeric knob must be 2 or more", error.Message, StringComparison.Ordinal);
    }
}
