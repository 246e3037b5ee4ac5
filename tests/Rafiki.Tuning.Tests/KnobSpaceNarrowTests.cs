using System.Text.Json;

namespace Rafiki.Tuning.Tests;

public class KnobSpaceNarrowTests
{
    private static readonly KnobSpace Space = KnobSpace.Of(
        new CategoricalKnob("optimizer", ["adam", "sgd"]),
        new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) },
        new FloatKnob("lr", 1e-4, 1e-1, KnobScale.Log),
        new IntegerKnob("units", 8, 512, KnobScale.Log),
        new FloatKnob("dropout", 0, 0.5),
        new FixedKnob("epochs", 10));

    private static KnobSpace NarrowJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Space.Narrow(document.RootElement);
    }

    [Fact]
    public void Range_narrowing_sets_new_bounds()
    {
        var narrowed = NarrowJson("""{"lr": {"low": 0.001, "high": 0.01}, "units": {"high": 64}}""");

        Assert.Equal(new FloatKnob("lr", 0.001, 0.01, KnobScale.Log), narrowed.Find("lr"));
        Assert.Equal(new IntegerKnob("units", 8, 64, KnobScale.Log), narrowed.Find("units"));
        Assert.Equal(Space.Find("dropout"), narrowed.Find("dropout"));
    }

    [Fact]
    public void Single_value_fixes_numeric_knob()
    {
        var narrowed = NarrowJson("""{"dropout": 0.1, "units": {"low": 32, "high": 32}}""");

        Assert.Equal(new FixedKnob("dropout", 0.1), narrowed.Find("dropout"));
        Assert.Equal(new FixedKnob("units", 32), narrowed.Find("units"));
    }

    [Fact]
    public void Value_list_makes_numeric_knob_categorical()
    {
        var narrowed = NarrowJson("""{"units": [16, 64]}""");

        var units = Assert.IsType<CategoricalKnob>(narrowed.Find("units"));
        Assert.Equal([KnobValue.Of(16), KnobValue.Of(64)], units.Values.ToArray());
    }

    [Fact]
    public void Narrowed_parent_drops_unreachable_child()
    {
        var narrowed = NarrowJson("""{"optimizer": ["adam"]}""");

        Assert.Equal([KnobValue.Of("adam")], Assert.IsType<CategoricalKnob>(narrowed.Find("optimizer")).Values.ToArray());
        Assert.Null(narrowed.Find("momentum"));
    }

    [Fact]
    public void Narrowed_child_keeps_its_condition()
    {
        var narrowed = NarrowJson("""{"momentum": {"low": 0.8}}""");

        var momentum = Assert.IsType<FloatKnob>(narrowed.Find("momentum"));
        Assert.Equal(0.8, momentum.Low);
        Assert.NotNull(momentum.Condition);
        Assert.Equal("optimizer", momentum.Condition.Parent);
        Assert.Equal([KnobValue.Of("sgd")], momentum.Condition.Values.ToArray());
    }

    [Fact]
    public void Fixed_knob_accepts_its_own_value()
    {
        var narrowed = NarrowJson("""{"epochs": 10}""");

        Assert.Equal(new FixedKnob("epochs", 10), narrowed.Find("epochs"));
    }

    [Fact]
    public void Dictionary_narrowing_matches_json_narrowing()
    {
        var narrowed = Space.Narrow(new Dictionary<string, KnobNarrowing>
        {
            ["lr"] = KnobNarrowing.Range(0.001, null),
            ["optimizer"] = KnobNarrowing.Choices("sgd"),
        });

        Assert.Equal(new FloatKnob("lr", 0.001, 0.1, KnobScale.Log), narrowed.Find("lr"));
        Assert.Equal([KnobValue.Of("sgd")], Assert.IsType<CategoricalKnob>(narrowed.Find("optimizer")).Values.ToArray());
        Assert.NotNull(narrowed.Find("momentum"));
    }

    public static TheoryData<string, string> InvalidNarrowings => new()
    {
        { """{"width": [16]}""", "knob 'width': cannot narrow an unknown knob; known knobs are optimizer, momentum" },
        { """{"lr": {"low": 0.00001}}""", "knob 'lr': narrowed range [1E-05, 0.1] is outside the declared range [0.0001, 0.1]" },
        { """{"units": {"high": 1024}}""", "knob 'units': narrowed range [8, 1024] is outside the declared range [8, 512]" },
        { """{"lr": {"low": 0.01, "high": 0.001}}""", "knob 'lr': narrowed low bound 0.01 is above high bound 0.001; swap them" },
        { """{"units": {"low": 8.5}}""", "knob 'units': narrowed bound 8.5 is not an integer" },
        { """{"optimizer": ["rmsprop"]}""", "knob 'optimizer': cannot narrow to rmsprop because 'rmsprop' is not one of [adam, sgd]" },
        { """{"dropout": [0.9]}""", "knob 'dropout': cannot narrow to 0.9 because 0.9 is outside [0, 0.5]" },
        { """{"dropout": "high"}""", "knob 'dropout': cannot narrow to high because expected a number, got 'high'" },
        { """{"units": [12.5]}""", "knob 'units': cannot narrow to 12.5 because expected an integer, got '12.5'" },
        { """{"epochs": 20}""", "knob 'epochs': cannot narrow to 20 because must be 10, got '20'" },
        { """{"epochs": {"low": 5}}""", "knob 'epochs': is fixed at 10 and cannot be narrowed" },
        { """{"optimizer": {"low": 1}}""", "knob 'optimizer': is categorical and has no range to narrow; list the values to keep, a subset of [adam, sgd]" },
        { """{"optimizer": []}""", "knob 'optimizer': narrowing lists no values" },
        { """{"optimizer": ["adam", "adam"]}""", "knob 'optimizer': values [adam, adam] repeat a value" },
        { """{"lr": null}""", "knob 'lr': narrowing null is invalid" },
        { """{"lr": {}}""", "knob 'lr': narrowing {} sets no bound" },
        { """{"lr": {"low": "small"}}""", "knob 'lr': narrowing bound 'low' is \"small\", not a number" },
        { """{"lr": {"min": 0.001}}""", "knob 'lr': narrowing has unknown field 'min'; use 'low' and 'high'" },
        { """{"units": [[16]]}""", "knob 'units': narrowing list item [16] is not a number, string or boolean" },
        { """{"lr": 0.01, "lr": 0.02}""", "knob 'lr': narrowed twice" },
        { """[1, 2]""", "knob narrowings must be a JSON object of knob name and narrowing, not Array" },
    };

    [Theory]
    [MemberData(nameof(InvalidNarrowings))]
    public void Invalid_narrowing_names_knob_and_fix(string json, string expected)
    {
        var error = Assert.Throws<KnobSpaceException>(() => NarrowJson(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
