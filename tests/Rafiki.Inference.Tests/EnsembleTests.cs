namespace Rafiki.Inference.Tests;

public sealed class EnsembleTests : InferenceTestKit
{
    [Fact]
    public async Task Ensemble_averages_model_probabilities()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 8), 0, 1);
        using var first = TrainedModels.Load(0);
        using var second = TrainedModels.Load(1);

        SendImages(jobs, 12);

        foreach (var answer in ReceiveAnswers(12))
        {
            var index = int.Parse(answer.RequestId[1..], System.Globalization.CultureInfo.InvariantCulture);
            var image = TrainedModels.Test.Image(index);
            var a = first.PredictProbabilities(image, 1);
            var b = second.PredictProbabilities(image, 1);
            for (var c = 0; c < a.Length; c++)
            {
                Assert.Equal((a[c] + b[c]) / 2, answer.Probabilities[c], 4);
            }
        }
    }

    [Fact]
    public async Task Ensemble_reports_latency_per_model()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(Checkpoints));
        var deployed = await DeployAsync(jobs, "job-1", new InferenceJobSettings(MaxBatchSize: 8), 0, 1);

        SendImages(jobs, 40);
        ReceiveAnswers(40);
        var status = await StatusAsync(jobs);

        Assert.Equal(2, deployed.BatchLatenciesMs.Count);
        Assert.Equal(["trial-0", "trial-1"], status.TrialIds);
        Assert.Equal(2, status.Models.Count);
        var batches = (int)status.BatchSizeCounts.Values.Sum();
        Assert.All(status.Models, model => Assert.Equal(batches, model.ForwardLatency.Count));
        Assert.All(status.Models, model => Assert.True(model.ForwardLatency.P50Ms > 0));
        Assert.All(status.Models, model => Assert.Equal([1, 2, 4, 8], model.WarmupLatenciesMs.Keys.Order()));
        Assert.All(status.Models, model => Assert.NotNull(model.ActorPath));
    }
}
