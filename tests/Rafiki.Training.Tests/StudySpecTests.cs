using System.Text.Json;
using Rafiki.Core;
using Rafiki.Training.Studies;

namespace Rafiki.Training.Tests;

public class StudySpecTests
{
    private static readonly StudySpec Valid = new(
        "s", TaskType.ImageClassification, "train", "validation", ["small-cnn"], new StudyBudget(2, 1));

    [Fact]
    public void Valid_spec_has_no_problems()
    {
        Assert.Empty(Valid.Validate());
    }

    [Theory]
    [InlineData("modelFamilies: 'gpt' is unknown")]
    [InlineData("budget.maxTrials: 0 is invalid")]
    [InlineData("budget.maxEpochs: -1 is invalid")]
    [InlineData("budget.deviceSlots: 0 is invalid")]
    [InlineData("budget.queuedTrials: -1 is invalid")]
    [InlineData("advisor: 'magic' is unknown")]
    [InlineData("earlyStopping: 'never' is unknown")]
    [InlineData("trainDatasetId: empty")]
    [InlineData("modelFamilies: 'small-cnn' solves ImageClassification, not TextClassification")]
    public void Invalid_field_is_named(string expected)
    {
        var spec = expected.Split(':')[0] switch
        {
            "modelFamilies" when expected.Contains("gpt", StringComparison.Ordinal) => Valid with { ModelFamilies = ["gpt"] },
            "modelFamilies" => Valid with { Task = TaskType.TextClassification },
            "budget.maxTrials" => Valid with { Budget = Valid.Budget with { MaxTrials = 0 } },
            "budget.maxEpochs" => Valid with { Budget = Valid.Budget with { MaxEpochs = -1 } },
            "budget.deviceSlots" => Valid with { Budget = Valid.Budget with { DeviceSlots = 0 } },
            "budget.queuedTrials" => Valid with { Budget = Valid.Budget with { QueuedTrials = -1 } },
            "advisor" => Valid with { Advisor = "magic" },
            "earlyStopping" => Valid with { EarlyStopping = "never" },
            _ => Valid with { TrainDatasetId = "" },
        };

        var problems = spec.Validate();

        Assert.Contains(problems, problem => problem.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Narrowing_of_unknown_family_is_named()
    {
        var spec = Valid with { KnobNarrowings = new Dictionary<string, JsonElement> { ["resnet"] = Json("{}") } };

        Assert.Contains(spec.Validate(), problem => problem.StartsWith("knobs: 'resnet' is not one of the study's model families", StringComparison.Ordinal));
    }

    [Fact]
    public void Narrowing_outside_declared_space_is_named()
    {
        var spec = Valid with { KnobNarrowings = new Dictionary<string, JsonElement> { ["small-cnn"] = Json("""{"channels": [16, 64]}""") } };

        var problem = Assert.Single(spec.Validate());

        Assert.StartsWith("knobs.small-cnn: knob 'channels'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Narrowed_space_is_used_for_family()
    {
        var spec = Valid with { KnobNarrowings = new Dictionary<string, JsonElement> { ["small-cnn"] = Json("""{"optimizer": ["adam"], "channels": 32}""") } };

        var space = spec.SpaceFor("small-cnn");
        var knobs = space.Sample(new Random(1));

        Assert.Empty(spec.Validate());
        Assert.Equal("adam", knobs.GetString("optimizer"));
        Assert.Equal(32, knobs.GetInt("channels"));
        Assert.False(knobs.ContainsKey("momentum"));
    }

    [Fact]
    public void Invalid_early_stopping_option_is_named()
    {
        var spec = Valid with { EarlyStopping = "asha", EarlyStoppingOptions = new Tuning.EarlyStopping.EarlyStoppingOptions { ReductionFactor = 1 } };

        Assert.Contains(spec.Validate(), problem => problem.StartsWith("earlyStoppingOptions:", StringComparison.Ordinal) && problem.Contains("ReductionFactor", StringComparison.Ordinal));
    }

    [Fact]
    public void Default_advisor_is_benchmark_winner()
    {
        Assert.Equal(Tuning.Advisors.AdvisorNames.Default, Valid.Advisor);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
