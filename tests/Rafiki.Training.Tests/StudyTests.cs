using Rafiki.Core;
using Rafiki.Training.Studies;
using Rafiki.Tuning;
using static Rafiki.Training.Studies.StudyEvents;

namespace Rafiki.Training.Tests;

public class StudyTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static Study NewStudy(int trials = 3, int slots = 2, TimeSpan? limit = null) => new(new StudyCreated(
        "study-1",
        new StudySpec("s", TaskType.ImageClassification, "train", "validation", ["small-cnn", "resnet"], new StudyBudget(trials, 2, slots, limit)),
        Created));

    private static Knobs Knobs(double lr) => new(new Dictionary<string, KnobValue> { ["lr"] = lr });

    private static EpochReport Epoch(int epoch, double accuracy) => new(epoch, 1, 0.5, accuracy, 1, $"c{epoch}", 1);

    [Fact]
    public void Families_are_taken_in_turn()
    {
        var study = NewStudy();

        var first = study.NextFamily();
        study.Apply(new TrialStarted("t1", 1, first, Knobs(1), 1, Created));
        var second = study.NextFamily();
        study.Apply(new TrialStarted("t2", 2, second, Knobs(1), 2, Created));

        Assert.Equal("small-cnn", first);
        Assert.Equal("resnet", second);
        Assert.Equal("small-cnn", study.NextFamily());
    }

    [Fact]
    public void Slots_and_trial_budget_limit_new_trials()
    {
        var study = NewStudy(trials: 3, slots: 2);

        study.Apply(new TrialStarted("t1", 1, "small-cnn", Knobs(1), 1, Created));
        Assert.True(study.CanStartTrial(Created));
        study.Apply(new TrialStarted("t2", 2, "resnet", Knobs(1), 2, Created));
        Assert.False(study.CanStartTrial(Created));
        study.Apply(new TrialEnded("t1", TrialState.Completed, null, Created));
        Assert.True(study.CanStartTrial(Created));
        study.Apply(new TrialStarted("t3", 3, "small-cnn", Knobs(1), 3, Created));
        study.Apply(new TrialEnded("t2", TrialState.Completed, null, Created));

        Assert.False(study.CanStartTrial(Created));
        Assert.False(study.IsFinished(Created));
        study.Apply(new TrialEnded("t3", TrialState.Failed, "boom", Created));
        Assert.True(study.IsFinished(Created));
    }

    [Fact]
    public void Queued_trials_start_beyond_slots()
    {
        var study = new Study(new StudyCreated(
            "study-1",
            new StudySpec("s", TaskType.ImageClassification, "train", "validation", ["small-cnn"], new StudyBudget(5, 1, 2, QueuedTrials: 1)),
            Created));

        study.Apply(new TrialStarted("t1", 1, "small-cnn", Knobs(1), 1, Created));
        study.Apply(new TrialStarted("t2", 2, "small-cnn", Knobs(1), 2, Created));
        Assert.True(study.CanStartTrial(Created));
        study.Apply(new TrialStarted("t3", 3, "small-cnn", Knobs(1), 3, Created));

        Assert.False(study.CanStartTrial(Created));
    }

    [Fact]
    public void Time_limit_stops_new_trials()
    {
        var study = NewStudy(limit: TimeSpan.FromMinutes(5));

        Assert.True(study.CanStartTrial(Created.AddMinutes(4)));
        Assert.False(study.CanStartTrial(Created.AddMinutes(5)));
        Assert.True(study.IsFinished(Created.AddMinutes(5)));
    }

    [Fact]
    public void Best_checkpoint_is_best_epoch_not_last()
    {
        var study = NewStudy();
        study.Apply(new TrialStarted("t1", 1, "small-cnn", Knobs(1), 1, Created));

        study.Apply(new EpochRecorded("t1", Epoch(1, 0.8)));
        study.Apply(new EpochRecorded("t1", Epoch(2, 0.7)));
        var trial = study.Find("t1")!;

        Assert.Equal("c1", trial.BestCheckpointId);
        Assert.Equal("c2", trial.LastCheckpointId);
        Assert.Equal(0.8, trial.BestValAccuracy);
        Assert.Equal(2, trial.LastEpoch);
    }

    [Fact]
    public void Advisor_sees_finished_trials_of_family_only()
    {
        var study = NewStudy(trials: 5, slots: 5);
        study.Apply(new TrialStarted("t1", 1, "small-cnn", Knobs(1), 1, Created));
        study.Apply(new EpochRecorded("t1", Epoch(1, 0.9)));
        study.Apply(new TrialEnded("t1", TrialState.Completed, null, Created));
        study.Apply(new TrialStarted("t2", 2, "resnet", Knobs(2), 2, Created));
        study.Apply(new TrialStarted("t3", 3, "small-cnn", Knobs(3), 3, Created));

        var context = study.AdvisorContextFor("small-cnn", KnobSpace.Of(new FloatKnob("lr", 0.1, 10)));

        Assert.Equal([new Tuning.Advisors.Observation(Knobs(1), 0.9)], context.Observations);
        Assert.Equal([Knobs(3)], context.Pending);
        Assert.Equal(3, context.ProposalNumber);
    }

    [Fact]
    public void Status_reports_best_trial_and_live_progress()
    {
        var study = NewStudy();
        study.Apply(new TrialStarted("t1", 1, "small-cnn", Knobs(1), 1, Created));
        study.Apply(new EpochRecorded("t1", Epoch(1, 0.6)));
        study.Apply(new TrialStarted("t2", 2, "resnet", Knobs(2), 2, Created));
        study.Apply(new EpochRecorded("t2", Epoch(1, 0.7)));

        var status = study.ToStatus(new Dictionary<string, TrialProgress> { ["t2"] = new(2, 0.5, "akka.tcp://rafiki@127.0.0.1:1") });

        Assert.Equal("t2", status.Best!.Id);
        Assert.Equal((2, 0.5), (status.Trials[1].CurrentEpoch, status.Trials[1].CurrentEpochFraction));
        Assert.Equal("akka.tcp://rafiki@127.0.0.1:1", status.Trials[1].Worker);
        Assert.Equal((0, 0.0), (status.Trials[0].CurrentEpoch, status.Trials[0].CurrentEpochFraction));
    }

    [Fact]
    public void Trial_ids_are_deterministic()
    {
        Assert.Equal("study-1-t007", NewStudy().TrialIdFor(7));
    }
}
