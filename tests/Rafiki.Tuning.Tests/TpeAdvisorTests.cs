using Rafiki.Tuning.Advisors;

namespace Rafiki.Tuning.Tests;

public class TpeAdvisorTests
{
    [Fact]
    public void Tpe_is_deterministic_for_seed()
    {
        var observations = AdvisorStudy.RandomBowlObservations(30, seed: 3);
        var context = new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 9, ProposalNumber: 30);

        var first = new TpeAdvisor().Propose(context);
        var second = new TpeAdvisor().Propose(context with { Observations = [.. observations] });

        Assert.Equal(first, second);
    }

    [Fact]
    public void Tpe_proposal_depends_on_number()
    {
        var observations = AdvisorStudy.RandomBowlObservations(30, seed: 3);
        var advisor = new TpeAdvisor();

        var first = advisor.Propose(new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 9, ProposalNumber: 30));
        var second = advisor.Propose(new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 9, ProposalNumber: 31));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Tpe_pending_trials_spread_proposals()
    {
        var observations = AdvisorStudy.RandomBowlObservations(20, seed: 4);

        var proposals = AdvisorStudy.ProposeParallel(new TpeAdvisor(), observations, count: 4, seed: 2);

        Assert.Equal(4, proposals.Distinct().Count());
        Assert.True(
            AdvisorStudy.MinimumDistance(AdvisorStudy.BowlSpace, proposals) > 0.02,
            $"proposals too close: {string.Join(" | ", proposals)}");
    }

    [Fact]
    public void Tpe_pending_trials_lower_their_density()
    {
        // With the same seed and number, a pending trial at the proposal's own point must move the proposal.
        var observations = AdvisorStudy.RandomBowlObservations(20, seed: 4);
        var context = new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 2, ProposalNumber: 20);
        var alone = new TpeAdvisor().Propose(context);

        var crowded = new TpeAdvisor().Propose(context with { Pending = [alone, alone, alone] });

        Assert.NotEqual(alone, crowded);
    }

    [Fact]
    public void Tpe_beats_random_on_bowl()
    {
        var seeds = new[] { 1, 2, 3, 4, 5 };

        var tpe = seeds.Select(seed => AdvisorStudy.BestScore(new TpeAdvisor(), AdvisorStudy.BowlSpace, AdvisorStudy.Bowl, 60, seed)).ToList();
        var random = seeds.Select(seed => AdvisorStudy.BestScore(new RandomAdvisor(), AdvisorStudy.BowlSpace, AdvisorStudy.Bowl, 60, seed)).ToList();

        // Scores are minus the regret: TPE must leave less than half of random search's mean regret.
        Assert.True(-tpe.Average() < -random.Average() / 2, $"TPE regrets {string.Join(", ", tpe)}; random {string.Join(", ", random)}");
    }

    [Fact]
    public void Tpe_samples_conditional_knobs_when_active()
    {
        var space = KnobSpace.Of(
            new CategoricalKnob("optimizer", ["adam", "sgd"]),
            new FloatKnob("momentum", 0.5, 0.9) { Condition = new KnobCondition("optimizer", ["sgd"]) },
            new IntegerKnob("layers", 1, 4, KnobScale.Log));
        double Score(Knobs knobs) => knobs.GetInt("layers") + (knobs.TryGetValue("momentum", out var m) ? m.Number : 0);

        var study = AdvisorStudy.Run(new TpeAdvisor(), space, Score, trials: 40, seed: 5);

        // Run checks that every proposal sets exactly its active knobs; past the random startup trials TPE must
        // still try the conditional branch and find the most layers.
        var modelBased = study.Skip(new TpeOptions().StartupTrials).ToList();
        Assert.Contains(modelBased, observation => observation.Knobs.ContainsKey("momentum"));
        Assert.Contains(modelBased, observation => observation.Knobs.GetInt("layers") == 4);
    }

    [Fact]
    public void Tpe_weights_ramp_up_for_old_trials()
    {
        var weights = TpeAdvisor.Weights(30);

        Assert.Equal(1.0 / 30, weights[0], 1e-12);
        Assert.Equal(1.0, weights[4], 1e-12);
        Assert.All(weights[5..], weight => Assert.Equal(1.0, weight));
        Assert.Equal(Enumerable.Repeat(1.0, 10), TpeAdvisor.Weights(10));
    }

    [Fact]
    public void Tpe_rejects_invalid_options()
    {
        var error = Assert.Throws<ArgumentException>(() => new TpeAdvisor(new TpeOptions { GoodFraction = 1.5 }));

        Assert.Contains("TPE option GoodFraction = 1.5 is invalid; use a fraction strictly between 0 and 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tpe_caps_bad_group_to_newest()
    {
        var observations = AdvisorStudy.RandomBowlObservations(60, seed: 8);
        var context = new AdvisorContext(AdvisorStudy.BowlSpace, observations, [], Seed: 1, ProposalNumber: 60);

        // With a cap of 10, bad trials among the oldest 20 play no part, so replacing their knobs keeps the
        // proposal. The good group is the best 6 of 60 and keeps its knobs.
        var capped = new TpeAdvisor(new TpeOptions { MaxBadTrials = 10 });
        var goodThreshold = observations.Select(observation => observation.Score).OrderDescending().ElementAt(5);
        var shuffledOld = observations
            .Select((observation, i) => i < 20 && observation.Score < goodThreshold
                ? observation with { Knobs = AdvisorStudy.BowlSpace.Sample(new Random(i)) }
                : observation)
            .ToList();

        Assert.Equal(capped.Propose(context), capped.Propose(context with { Observations = shuffledOld }));

        // Without the cap the same replacement moves the proposal, so the check above can fail.
        Assert.NotEqual(new TpeAdvisor().Propose(context), new TpeAdvisor().Propose(context with { Observations = shuffledOld }));
    }

    [Fact]
    public void Tpe_skips_tried_discrete_points()
    {
        var space = KnobSpace.Of(new CategoricalKnob("kind", ["a", "b", "c"]), new IntegerKnob("layers", 1, 4));
        var all = Enumerable.Range(0, 12)
            .Select(i => new Knobs(new Dictionary<string, KnobValue> { ["kind"] = "abc"[i / 4].ToString(), ["layers"] = (i % 4) + 1 }))
            .ToList();
        var observations = all.Take(10).Select((knobs, i) => new Observation(knobs, -i)).ToList();
        var advisor = new TpeAdvisor(new TpeOptions { StartupTrials = 5 });

        var first = advisor.Propose(new AdvisorContext(space, observations, [], Seed: 1, ProposalNumber: 10));
        var second = advisor.Propose(new AdvisorContext(space, observations, [first], Seed: 1, ProposalNumber: 11));

        Assert.Equal(all.Skip(10).ToHashSet(), new HashSet<Knobs> { first, second });
    }

    [Fact]
    public void Advisor_names_create_every_advisor()
    {
        Assert.Equal(["random", "grid", "gp", "tpe"], AdvisorNames.All);
        Assert.All(AdvisorNames.All, name => Assert.Equal(name, AdvisorNames.Create(name).Name));
        Assert.IsType<GpAdvisor>(AdvisorNames.Create(AdvisorNames.Default));
    }
}
