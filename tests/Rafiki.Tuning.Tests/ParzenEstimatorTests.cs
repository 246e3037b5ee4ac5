using Rafiki.Tuning.Advisors;

namespace Rafiki.Tuning.Tests;

public class ParzenEstimatorTests
{
    [Fact]
    public void Numeric_estimator_peaks_at_observations()
    {
        var estimator = new NumericParzenEstimator([0.2, 0.21, 0.22], [1, 1, 1], priorWeight: 1);

        Assert.True(estimator.LogDensity(0.21) > estimator.LogDensity(0.5));
        Assert.True(estimator.LogDensity(0.5) > estimator.LogDensity(0.95));
    }

    [Fact]
    public void Numeric_samples_stay_in_unit_interval()
    {
        var estimator = new NumericParzenEstimator([0.0, 1.0, 0.99], [1, 1, 1], priorWeight: 1);
        var random = new Random(3);

        var samples = Enumerable.Range(0, 2000).Select(_ => estimator.Sample(random)).ToList();

        Assert.All(samples, sample => Assert.InRange(sample, 0, 1));
        Assert.True(samples.Count(sample => sample > 0.9) > samples.Count(sample => sample is > 0.4 and < 0.5));
    }

    [Fact]
    public void Categorical_estimator_smooths_counts_with_prior()
    {
        var estimator = new CategoricalParzenEstimator(3, [0, 0, 1], [1, 1, 1], priorWeight: 3);

        // Counts 2, 1, 0 plus a prior of 1 each: probabilities 3/6, 2/6, 1/6.
        Assert.Equal(Math.Log(3.0 / 6), estimator.LogProbability(0), 1e-12);
        Assert.Equal(Math.Log(2.0 / 6), estimator.LogProbability(1), 1e-12);
        Assert.Equal(Math.Log(1.0 / 6), estimator.LogProbability(2), 1e-12);
    }
}
