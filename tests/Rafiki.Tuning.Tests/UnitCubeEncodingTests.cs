namespace Rafiki.Tuning.Tests;

public class UnitCubeEncodingTests
{
    private static readonly KnobSpace Space = KnobSpace.Of(
        new CategoricalKnob("optimizer", ["adam", "sgd", "rmsprop"]),
        new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) },
        new FloatKnob("lr", 1e-4, 1e-0, KnobScale.Log),
        new IntegerKnob("layers", 1, 5),
        new FixedKnob("epochs", 10),
        new CategoricalKnob("single", ["only"]));

    [Fact]
    public void Layout_sets_offsets_and_widths()
    {
        var encoding = new UnitCubeEncoding(Space);

        Assert.Equal(6, encoding.Dimensions);
        Assert.Equal([3, 1, 1, 1, 0, 0], encoding.Knobs.Select(knob => knob.Width));
        Assert.Equal([0, 3, 4, 5, 6, 6], encoding.Knobs.Select(knob => knob.Offset));
    }

    [Fact]
    public void Encode_uses_knob_scale_and_one_hot()
    {
        var encoding = new UnitCubeEncoding(Space);
        var knobs = new Knobs(new Dictionary<string, KnobValue>
        {
            ["optimizer"] = "sgd", ["momentum"] = 0.6, ["lr"] = 1e-2, ["layers"] = 2, ["epochs"] = 10, ["single"] = "only",
        });

        var point = encoding.Encode(knobs);

        Assert.Equal([0, 1, 0], point[..3]);
        Assert.Equal(0.25, point[3], 1e-12);
        Assert.Equal(0.5, point[4], 1e-12);
        Assert.Equal(0.25, point[5], 1e-12);
    }

    [Fact]
    public void Inactive_knob_encodes_as_neutral_value()
    {
        var encoding = new UnitCubeEncoding(Space);
        var knobs = new Knobs(new Dictionary<string, KnobValue>
        {
            ["optimizer"] = "adam", ["lr"] = 1e-4, ["layers"] = 5, ["epochs"] = 10, ["single"] = "only",
        });

        var point = encoding.Encode(knobs);

        Assert.Equal(UnitCubeEncoding.InactiveNumber, point[3]);
        Assert.Equal(0, point[4], 1e-12);
        Assert.Equal(1, point[5], 1e-12);
    }

    [Fact]
    public void Decode_round_trips_sampled_knobs()
    {
        var encoding = new UnitCubeEncoding(Space);
        var random = new Random(5);

        for (var i = 0; i < 200; i++)
        {
            var knobs = Space.Sample(random);
            var decoded = encoding.Decode(encoding.Encode(knobs));

            Assert.Equal(knobs.Keys, decoded.Keys);
            Assert.Equal(knobs["optimizer"], decoded["optimizer"]);
            Assert.Equal(knobs["layers"], decoded["layers"]);
            Assert.Equal(knobs.GetDouble("lr"), decoded.GetDouble("lr"), 1e-9);
        }
    }

    [Fact]
    public void Decode_clamps_rounds_and_drops_inactive()
    {
        var encoding = new UnitCubeEncoding(Space);

        var decoded = encoding.Decode([0.2, 0.1, 0.7, 0.3, 1.7, 0.6]);

        Assert.Equal("rmsprop", decoded.GetString("optimizer"));
        Assert.False(decoded.ContainsKey("momentum"));
        Assert.Equal(1.0, decoded.GetDouble("lr"));
        Assert.Equal(3, decoded.GetInt("layers"));
        Assert.Equal(10, decoded.GetInt("epochs"));
        Assert.Equal("only", decoded.GetString("single"));
        Space.CheckContains(decoded);
    }

    [Fact]
    public void Decode_rejects_wrong_point_length()
    {
        var encoding = new UnitCubeEncoding(Space);

        var error = Assert.Throws<ArgumentException>(() => encoding.Decode([0.5]));

        Assert.Contains("point has 1 coordinates but the encoding has 6", error.Message, StringComparison.Ordinal);
    }
}
