using System.Collections.Immutable;
using Rafiki.Core;
using Rafiki.Training.Studies;

namespace Rafiki.Inference.Tests;

public sealed class StudyDeploymentTests
{
    private static readonly string[] ClassNames = ["a", "b"];

    // Trial 3 ties trial 2 on accuracy but comes later; trial 4 has no checkpoint yet.
    private static readonly StudyStatus Study = new(
        "study-1",
        "test",
        StudyState.Completed,
        new StudySpec("test", TaskType.ImageClassification, "train", "validation", ["small-cnn"], new StudyBudget(4, 1)),
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch,
        [Trial(1, 0.70, "trial-1.e1"), Trial(2, 0.90, "trial-2.e1"), Trial(3, 0.90, "trial-3.e1"), Trial(4, 0.0, null)]);

    [Fact]
    public void Best_selection_takes_top_trial()
    {
        var models = StudyDeployment.SelectModels(Study, ModelSelection.Best, TrainedModels.Shape, ClassNames);

        var model = Assert.Single(models);
        Assert.Equal("trial-2", model.TrialId);
        Assert.Equal("trial-2.e1", model.CheckpointId);
        Assert.Equal("small-cnn", model.Family);
        Assert.Equal(TrainedModels.Shape, model.Input);
        Assert.Equal(ClassNames, model.ClassNames);
    }

    [Fact]
    public void Best_k_ranks_by_accuracy_then_number()
    {
        var models = StudyDeployment.SelectModels(Study, ModelSelection.BestK(3), TrainedModels.Shape, ClassNames);

        Assert.Equal(["trial-2", "trial-3", "trial-1"], models.Select(model => model.TrialId));
    }

    [Fact]
    public void Named_trials_keep_given_order()
    {
        var models = StudyDeployment.SelectModels(Study, ModelSelection.Of("trial-1", "trial-3"), TrainedModels.Shape, ClassNames);

        Assert.Equal(["trial-1", "trial-3"], models.Select(model => model.TrialId));
    }

    [Theory]
    [InlineData(4, "study study-1 has 3 trial(s) with a checkpoint but 4 were requested")]
    [InlineData(0, "best-k count 0 is invalid")]
    public void Best_k_beyond_checkpoints_is_rejected(int count, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            StudyDeployment.SelectModels(Study, ModelSelection.BestK(count), TrainedModels.Shape, ClassNames));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trial-9", "trial 'trial-9' is not in study study-1; use one of trial-1, trial-2, trial-3, trial-4")]
    [InlineData("trial-4", "trial 'trial-4' has no checkpoint yet")]
    public void Unusable_named_trial_is_rejected(string trialId, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            StudyDeployment.SelectModels(Study, ModelSelection.Of(trialId), TrainedModels.Shape, ClassNames));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Study_without_checkpoints_has_no_best()
    {
        var empty = Study with { Trials = [Trial(1, 0, null)] };

        var error = Assert.Throws<ArgumentException>(() =>
            StudyDeployment.SelectModels(empty, ModelSelection.Best, TrainedModels.Shape, ClassNames));

        Assert.Contains("has 0 trial(s) with a checkpoint but 1 were requested", error.Message, StringComparison.Ordinal);
    }

    private static TrialStatus Trial(int number, double accuracy, string? checkpointId) => new(
        $"trial-{number}",
        number,
        "small-cnn",
        TrainedModels.CnnKnobs,
        checkpointId is null ? TrialState.Running : TrialState.Completed,
        checkpointId is null ? 0 : 1,
        accuracy,
        checkpointId,
        ImmutableArray<EpochReport>.Empty,
        0,
        0,
        null);
}
