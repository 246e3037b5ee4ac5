using Rafiki.Tuning.Advisors;

namespace Rafiki.Tuning.Tests;

public class GpAdvisorTests
{
    [Fact]
    public void Gp_is_deterministic_for_seed()
    {
        var observations = AdvisorStudy.RandomBowlObservations(15, seed: 3);
        var context = new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 9, ProposalNumber: 15);

        var first = new GpAdvisor().Propose(context);
        var second = new GpAdvisor().Propose(context with { Observations = [.. observations] });

        Assert.Equal(first, second);
    }

    [Fact]
    public void Gp_startup_proposals_are_random()
    {
        var observations = AdvisorStudy.RandomBowlObservations(3, seed: 3);
        var context = new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 9, ProposalNumber: 3);

        Assert.Equal(new RandomAdvisor().Propose(context), new GpAdvisor().Propose(context));
    }

    [Fact]
    public void Gp_pending_trials_spread_proposals()
    {
        var observations = AdvisorStudy.RandomBowlObservations(15, seed: 4);

        var proposals = AdvisorStudy.ProposeParallel(new GpAdvisor(), observations, count: 4, seed: 2);

        Assert.Equal(4, proposals.Distinct().Count());
        Assert.True(
            AdvisorStudy.MinimumDistance(AdvisorStudy.BowlSpace, proposals) > 0.02,
            $"proposals too close: {string.Join(" | ", proposals)}");
    }

    [Fact]
    public void Gp_moves_away_from_pending_point()
    {
        var observations = AdvisorStudy.RandomBowlObservations(15, seed: 4);
        var context = new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 2, ProposalNumber: 15);
        var alone = new GpAdvisor().Propose(context);

        var crowded = new GpAdvisor().Propose(context with { Pending = [alone] });

        Assert.True(
            AdvisorStudy.MinimumDistance(AdvisorStudy.BowlSpace, [alone, crowded]) > 0.02,
            $"proposal with its own point pending: {crowded}; without: {alone}");
    }

    [Fact]
    public void Gp_beats_random_on_bowl()
    {
        var seeds = new[] { 1, 2, 3 };

        var gp = seeds.Select(seed => AdvisorStudy.BestScore(new GpAdvisor(), AdvisorStudy.BowlSpace, AdvisorStudy.Bowl, 30, seed)).ToList();
        var random = seeds.Select(seed => AdvisorStudy.BestScore(new RandomAdvisor(), AdvisorStudy.BowlSpace, AdvisorStudy.Bowl, 30, seed)).ToList();

        // Scores are minus the regret: GP must leave less than a third of random search's mean regret.
        Assert.True(-gp.Average() < -random.Average() / 3, $"GP regrets {string.Join(", ", gp)}; random {string.Join(", ", random)}");
    }

    [Fact]
    public void Gp_handles_conditional_and_integer_knobs()
    {
        var space = KnobSpace.Of(
            new CategoricalKnob("optimizer", ["adam", "sgd"]),
            new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) },
            new IntegerKnob("layers", 1, 4),
            new FixedKnob("epochs", 3));
        double Score(Knobs knobs) => knobs.GetInt("layers") + (knobs.TryGetValue("momentum", out var m) ? m.Number : 0);

        var best = AdvisorStudy.BestScore(new GpAdvisor(), space, Score, trials: 20, seed: 5);

        Assert.True(best > 4.7, $"best score {best}");
    }

    [Fact]
    public void Gp_treats_nan_score_as_worst()
    {
        var observations = AdvisorStudy.RandomBowlObservations(12, seed: 6);
        observations[0] = observations[0] with { Score = double.NaN };
        var context = new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 1, ProposalNumber: 12);

        var knobs = new GpAdvisor().Propose(context);

        AdvisorStudy.BowlSpace.CheckContains(knobs);
    }

    [Fact]
    public void History_cap_keeps_best_and_newest()
    {
        var scores = Enumerable.Range(0, 10).Select(i => i == 2 ? 100.0 : -i).ToArray();

        var kept = GpAdvisor.SelectHistory(scores, limit: 4);

        Assert.Equal(4, kept.Length);
        Assert.Contains(2, kept);
        Assert.Contains(0, kept);
        Assert.Contains(9, kept);
    }

    [Fact]
    public void Gp_rejects_invalid_options()
    {
        var error = Assert.Throws<ArgumentException>(() => new GpAdvisor(new GpOptions { MaxFitHistory = 500 }));

        Assert.Contains("GP option MaxFitHistory = 500 is invalid; use 2 to MaxHistory (150)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gp_skips_tried_discrete_points()
    {
        var space = KnobSpace.Of(new CategoricalKnob("kind", ["a", "b", "c"]), new IntegerKnob("layers", 1, 4));
        var all = Enumerable.Range(0, 12)
            .Select(i => new Knobs(new Dictionary<string, KnobValue> { ["kind"] = "abc"[i / 4].ToString(), ["layers"] = (i % 4) + 1 }))
            .ToList();
        var observations = all.Take(10).Select((knobs, i) => new Observation(knobs, -i)).ToList();

        var first = new GpAdvisor(new GpOptions { StartupTrials = 5 })
            .Propose(new AdvisorContext(space, observations, [], Seed: 1, ProposalNumber: 10));
        var second = new GpAdvisor(new GpOptions { StartupTrials = 5 })
            .Propose(new AdvisorContext(space, observations, [first], Seed: 1, ProposalNumber: 11));

        Assert.Equal(all.Skip(10).ToHashSet(), new HashSet<Knobs> { first, second });
    }
}
