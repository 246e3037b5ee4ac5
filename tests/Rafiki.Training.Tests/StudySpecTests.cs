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
            "advisor" => Valid with { Advisor = "magic" },
            "earlyStopping" => Valid with { EarlyStopping = "never" },
            _ => Valid with { TrainDatasetId = "" },
        };

        var problems = spec.Validate();

        Assert.Contains(problems, problem => problem.StartsWith(expected, StringComparison.Ordinal));
    }
}
