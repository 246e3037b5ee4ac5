using System.Text.Json;
using Rafiki.Core;

namespace Rafiki.Tuning.Tests;

public class KnobSpaceTests
{
    public static TheoryData<KnobDefinition[], string> InvalidSpaces => new()
    {
        { [], "knob space is empty" },
        { [new FloatKnob("lr", 0.1, 0.01)], "knob 'lr': low bound 0.1 is above high bound 0.01" },
        { [new FloatKnob("lr", 0.1, 0.1)], "knob 'lr': range [0.1, 0.1] is empty" },
        { [new FloatKnob("lr", 0, 1, KnobScale.Log)], "knob 'lr': low bound 0 is invalid for a log-scale range" },
        { [new IntegerKnob("units", -4, 16, KnobScale.Log)], "knob 'units': low bound -4 is invalid for a log-scale range" },
        { [new FloatKnob("lr", double.NaN, 1)], "knob 'lr': bounds [NaN, 1] must be finite" },
        { [new FloatKnob("lr", 0, double.PositiveInfinity)], "knob 'lr': bounds [0, Infinity] must be finite" },
        { [new IntegerKnob("units", 16, 8)], "knob 'units': low bound 16 is above high bound 8" },
        { [new IntegerKnob("units", 8, 8)], "knob 'units': range [8, 8] is empty" },
        { [new IntegerKnob("id", 0, long.MaxValue)], "knob 'id': bounds [0, 9223372036854775807] exceed ±2^53" },
        { [new FloatKnob(" ", 0, 1)], "a knob has an empty name" },
        { [null!], "knob at position 0 is null" },
        { [new CategoricalKnob("rate", [0.1, double.NaN])], "knob 'rate': value NaN is not a finite number" },
        { [new FixedKnob("rate", double.PositiveInfinity)], "knob 'rate': value Infinity is not a finite number" },
        { [new CategoricalKnob("name", [KnobValue.Of((string)null!)])], "knob 'name': a text value is null" },
        { [new CategoricalKnob("optimizer", [])], "knob 'optimizer': no values" },
        { [new CategoricalKnob("mixed", ["adam", 3.0])], "knob 'mixed': values [adam, 3] mix types" },
        { [new CategoricalKnob("twice", ["a", "a"])], "knob 'twice': values [a, a] repeat a value" },
        { [new FixedKnob("x", 1), new FixedKnob("x", 2)], "knob 'x': declared twice" },
        {
            [new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) }],
            "knob 'momentum': condition names unknown knob 'optimizer'"
        },
        {
            [new FloatKnob("lr", 0.1, 1), new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("lr", [0.5]) }],
            "knob 'momentum': condition parent 'lr' is not categorical"
        },
        {
            [new CategoricalKnob("optimizer", ["adam"]), new FloatKnob("m", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) }],
            "knob 'm': condition value 'sgd' is not a value of 'optimizer'"
        },
        {
            [new CategoricalKnob("optimizer", ["adam"]), new FloatKnob("m", 0.5, 0.9) { Condition = new KnobCondition("optimizer", []) }],
            "knob 'm': condition on 'optimizer' lists no values"
        },
        {
            [new CategoricalKnob("a", ["x"]) { Condition = new KnobCondition("a", ["x"]) }],
            "knob 'a': conditions form a cycle"
        },
        {
            [
                new CategoricalKnob("a", ["x"]) { Condition = new KnobCondition("b", ["y"]) },
                new CategoricalKnob("b", ["y"]) { Condition = new KnobCondition("a", ["x"]) },
            ],
            "conditions form a cycle"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidSpaces))]
    public void Invalid_space_is_rejected_with_named_knob(KnobDefinition[] knobs, string expected)
    {
        var error = Assert.Throws<KnobSpaceException>(() => KnobSpace.Of(knobs));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parents_are_ordered_before_children()
    {
        var space = KnobSpace.Of(
            new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) },
            new CategoricalKnob("optimizer", ["adam", "sgd"]));

        Assert.Equal(["optimizer", "momentum"], space.Knobs.Select(knob => knob.Name));
    }

    [Fact]
    public void Sample_sets_conditional_knob_only_when_active()
    {
        var space = KnobSpace.Of(
            new CategoricalKnob("optimizer", ["adam", "sgd"]),
            new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) });
        var random = new Random(7);

        var samples = Enumerable.Range(0, 200).Select(_ => space.Sample(random)).ToList();

        Assert.All(samples, knobs => Assert.Equal(knobs.GetString("optimizer") == "sgd", knobs.ContainsKey("momentum")));
        Assert.Contains(samples, knobs => knobs.ContainsKey("momentum"));
        Assert.Contains(samples, knobs => !knobs.ContainsKey("momentum"));
    }

    [Fact]
    public void Sample_stays_inside_bounds_in_both_scales()
    {
        var space = KnobSpace.Of(
            new FloatKnob("lr", 1e-4, 1e-1, KnobScale.Log),
            new IntegerKnob("units", 8, 512, KnobScale.Log),
            new IntegerKnob("layers", 1, 3));
        var random = new Random(1);

        var samples = Enumerable.Range(0, 1000).Select(_ => space.Sample(random)).ToList();

        Assert.All(samples, knobs => Assert.InRange(knobs.GetDouble("lr"), 1e-4, 1e-1));
        Assert.All(samples, knobs => Assert.InRange(knobs.GetInt("units"), 8, 512));
        Assert.Equal([1, 2, 3], samples.Select(knobs => knobs.GetInt("layers")).Distinct().Order());
    }

    [Fact]
    public void Log_scale_sample_median_is_geometric_mean()
    {
        var knob = new FloatKnob("lr", 1e-4, 1e-0, KnobScale.Log);
        var random = new Random(3);

        var values = Enumerable.Range(0, 4001).Select(_ => knob.Sample(random).Number).Order().ToList();

        Assert.InRange(values[2000], 0.006, 0.016);
    }

    [Fact]
    public void CheckContains_rejects_missing_unknown_and_out_of_range_knobs()
    {
        var space = KnobSpace.Of(new FloatKnob("lr", 0.1, 1), new CategoricalKnob("optimizer", ["adam"]));
        var valid = new Knobs(new Dictionary<string, KnobValue> { ["lr"] = 0.5, ["optimizer"] = "adam" });

        space.CheckContains(valid);
        Assert.Contains("knob 'lr': missing", Assert.Throws<KnobSpaceException>(() => space.CheckContains(new Knobs(new Dictionary<string, KnobValue> { ["optimizer"] = "adam" }))).Message, StringComparison.Ordinal);
        Assert.Contains("knob 'extra': unknown", Assert.Throws<KnobSpaceException>(() => space.CheckContains(valid.With("extra", 1))).Message, StringComparison.Ordinal);
        Assert.Contains("2 is outside [0.1, 1]", Assert.Throws<KnobSpaceException>(() => space.CheckContains(valid.With("lr", 2))).Message, StringComparison.Ordinal);
        Assert.Contains("'sgd' is not one of [adam]", Assert.Throws<KnobSpaceException>(() => space.CheckContains(valid.With("optimizer", "sgd"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckContains_rejects_inactive_conditional_knob()
    {
        var space = KnobSpace.Of(
            new CategoricalKnob("optimizer", ["adam", "sgd"]),
            new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) });
        var knobs = new Knobs(new Dictionary<string, KnobValue> { ["optimizer"] = "adam", ["momentum"] = 0.7 });

        var error = Assert.Throws<KnobSpaceException>(() => space.CheckContains(knobs));

        Assert.Contains("knob 'momentum': set to 0.7 but inactive because its condition on 'optimizer' does not hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Space_round_trips_through_json()
    {
        var space = KnobSpace.Of(
            new CategoricalKnob("optimizer", ["adam", "sgd"]),
            new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) },
            new IntegerKnob("units", 8, 64, KnobScale.Log),
            new FixedKnob("flag", true));

        var json = JsonSerializer.Serialize(space, RafikiJson.Options);
        var copy = JsonSerializer.Deserialize<KnobSpace>(json, RafikiJson.Options)!;

        Assert.Equal(json, JsonSerializer.Serialize(copy, RafikiJson.Options));
        Assert.Contains("\"type\":\"float\"", json, StringComparison.Ordinal);
        Assert.Contains("\"scale\":\"log\"", json, StringComparison.Ordinal);
    }
}
