using System.Text.Json;
using Rafiki.Core;

namespace Rafiki.Tuning.Tests;

public class KnobsTests
{
    [Fact]
    public void Knobs_serialize_as_plain_json_object()
    {
        var knobs = new Knobs(new Dictionary<string, KnobValue> { ["lr"] = 0.001, ["optimizer"] = "adam", ["bn"] = true });

        var json = JsonSerializer.Serialize(knobs, RafikiJson.Options);

        Assert.Equal("""{"bn":true,"lr":0.001,"optimizer":"adam"}""", json);
        Assert.Equal(knobs, JsonSerializer.Deserialize<Knobs>(json, RafikiJson.Options));
    }

    [Fact]
    public void Typed_getter_reports_wrong_kind()
    {
        var knobs = new Knobs(new Dictionary<string, KnobValue> { ["optimizer"] = "adam" });

        var error = Assert.Throws<InvalidOperationException>(() => knobs.GetDouble("optimizer"));

        Assert.Contains("Knob 'optimizer' holds a Text value (adam), not a Number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_knob_lists_set_knobs()
    {
        var knobs = new Knobs(new Dictionary<string, KnobValue> { ["lr"] = 0.1 });

        var error = Assert.Throws<KeyNotFoundException>(() => knobs.GetDouble("momentum"));

        Assert.Contains("set knobs: lr", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_scalar_knob_value_is_rejected()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Knobs>("""{"lr":[1,2]}""", RafikiJson.Options));

        Assert.Contains("must be a number, a string or a boolean", error.Message, StringComparison.Ordinal);
    }
}
