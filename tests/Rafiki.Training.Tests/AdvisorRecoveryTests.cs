using System.Text.Json;
using Rafiki.Core;
using Rafiki.Training.Studies;
using Rafiki.Tuning;
using Rafiki.Tuning.Advisors;
using static Rafiki.Training.Studies.StudyEvents;

namespace Rafiki.Training.Tests;

/// <summary>
/// A study master rebuilds its advisor's input from the journal after a restart. These tests write each event as
/// the journal does (the JSON of <see cref="RafikiJsonSerializer"/>), read it back into a fresh study, and check
/// that every advisor then proposes what it would have proposed without the restart.
/// </summary>
public class AdvisorRecoveryTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly KnobSpace Space = KnobSpace.Of(
        new FloatKnob("lr", 1e-4, 1e-1, KnobScale.Log),
        new IntegerKnob("width", 8, 64),
        new CategoricalKnob("optimizer", ["adam", "sgd"]));

    [Theory]
    [InlineData("gp")]
    [InlineData("tpe")]
    [InlineData("random")]
    [InlineData("grid")]
    public void Recovered_study_gives_same_proposal(string advisorName)
    {
        var events = History(advisorName);
        var live = new Study(new StudyCreated("study-1", Spec(advisorName), Created));
        var recovered = new Study(RoundTrip(new StudyCreated("study-1", Spec(advisorName), Created)));
        foreach (var @event in events)
        {
            live.Apply(@event);
            recovered.Apply(RoundTrip(@event));
        }

        var expected = AdvisorNames.Create(advisorName).Propose(live.AdvisorContextFor("small-cnn", Space));
        var actual = AdvisorNames.Create(advisorName).Propose(recovered.AdvisorContextFor("small-cnn", Space));

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Recovered_knobs_keep_their_types()
    {
        var started = new TrialStarted("t1", 1, "small-cnn", Knobs(0.01, 16, "sgd"), 7, Created);

        var recovered = RoundTrip(started);

        Assert.Equal(started.Knobs, recovered.Knobs);
        Assert.Equal(16, recovered.Knobs.GetInt("width"));
    }

    private static StudySpec Spec(string advisor) => new(
        "s", TaskType.ImageClassification, "train", "validation", ["small-cnn"], new StudyBudget(20, 1, 2), advisor, Seed: 5);

    /// <summary>Six finished trials and one pending, with knobs proposed by the advisor itself.</summary>
    private static List<IStudyEvent> History(string advisorName)
    {
        var study = new Study(new StudyCreated("study-1", Spec(advisorName), Created));
        var advisor = AdvisorNames.Create(advisorName);
        var events = new List<IStudyEvent>();
        for (var number = 1; number <= 7; number++)
        {
            var knobs = advisor.Propose(study.AdvisorContextFor("small-cnn", Space));
            var trialId = study.TrialIdFor(number);
            var trial = new List<IStudyEvent> { new TrialStarted(trialId, number, "small-cnn", knobs, number, Created) };
            if (number < 7)
            {
                var accuracy = 0.5 + (0.05 * number) - (0.01 * knobs.GetInt("width") / 8.0);
                trial.Add(new EpochRecorded(trialId, new EpochReport(1, 1, 0.5, accuracy, 1, $"c{number}", 1)));
                trial.Add(new TrialEnded(trialId, TrialState.Completed, null, Created));
            }

            foreach (var @event in trial)
            {
                study.Apply(@event);
                events.Add(@event);
            }
        }

        return events;
    }

    private static Knobs Knobs(double lr, int width, string optimizer) => new(new Dictionary<string, KnobValue>
    {
        ["lr"] = lr,
        ["width"] = width,
        ["optimizer"] = optimizer,
    });

    private static T RoundTrip<T>(T message)
        where T : notnull
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), RafikiJson.Options);
        return (T)JsonSerializer.Deserialize(bytes, message.GetType(), RafikiJson.Options)!;
    }
}
