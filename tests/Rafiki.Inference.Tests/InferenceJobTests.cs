using Akka.Actor;
using Rafiki.Batching;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference.Tests;

public sealed class InferenceJobTests : InferenceTestKit
{
    [Fact]
    public async Task Job_answers_every_request_in_batches()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 16));

        SendImages(jobs, 100);
        var answers = ReceiveAnswers(100);
        var status = await StatusAsync(jobs);

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Ok, answer.Status));
        Assert.All(answers, answer => Assert.Equal(10, answer.Probabilities.Length));
        Assert.True(status.BatchSizeCounts.Keys.Max() <= 16);
        Assert.True(status.BatchSizeCounts.Keys.Max() > 1, "requests sent together were never batched");
        Assert.Equal(100, status.BatchSizeCounts.Sum(pair => pair.Key * pair.Value));
        Assert.Equal(100, status.Answered);
        Assert.Equal(BatchingPolicies.Greedy, status.Policy);
    }

    [Fact]
    public async Task Batched_answers_match_single_predictions()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 8));
        using var model = TrainedModels.Load(0);

        SendImages(jobs, 8);

        foreach (var answer in ReceiveAnswers(8))
        {
            var index = int.Parse(answer.RequestId[1..], System.Globalization.CultureInfo.InvariantCulture);
            var alone = model.PredictProbabilities(TrainedModels.Test.Image(index), 1);
            Assert.Equal(Array.IndexOf(alone, alone.Max()), answer.Label);
            Assert.Equal(TrainedModels.Test.ClassNames[answer.Label], answer.ClassName);
            Assert.Equal(alone[answer.Label], answer.Probabilities[answer.Label], 4);
        }
    }

    [Theory]
    [InlineData(BatchingPolicies.Greedy)]
    [InlineData(BatchingPolicies.None)]
    [InlineData(BatchingPolicies.FixedWait)]
    [InlineData(BatchingPolicies.Aimd)]
    public async Task Every_policy_serves_by_name(string policy)
    {
        // With no batching, 40 requests run one after the other, and on a busy machine the last ones can wait past
        // the default maximum lateness (10 x tau). A long one keeps this test about serving, not about lateness.
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 8, Policy: policy, MaxLateMs: 60_000));

        SendImages(jobs, 40);
        var answers = ReceiveAnswers(40);
        var status = await StatusAsync(jobs);

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Ok, answer.Status));
        Assert.Equal(policy, status.Policy);
        Assert.Equal(40, status.BatchSizeCounts.Sum(pair => pair.Key * pair.Value));
        if (policy == BatchingPolicies.None)
        {
            Assert.Equal([1], status.BatchSizeCounts.Keys);
        }
    }

    [Fact]
    public async Task Full_queue_rejects_at_once()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 1, QueueLimit: 2));

        SendImages(jobs, 50);
        var answers = ReceiveAnswers(50);
        var status = await StatusAsync(jobs);

        var rejected = answers.Where(answer => answer.Status == PredictionStatus.Rejected).ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, answer => Assert.Contains("queue full (2 requests waiting)", answer.Error, StringComparison.Ordinal));
        Assert.Equal(rejected.Count, status.Rejected);
        Assert.Equal(50 - rejected.Count, status.Answered);
    }

    [Fact]
    public async Task Wrong_image_size_fails_with_expected_shape()
    {
        var jobs = await DeployAsync(new InferenceJobSettings());

        jobs.Tell(new Predict("job-1", "bad", new byte[10]));

        var answer = ExpectMsg<PredictionResult>();
        Assert.Equal(PredictionStatus.Failed, answer.Status);
        Assert.Contains("image has 10 bytes; this job expects 1x28x28 = 784 bytes", answer.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await StatusAsync(jobs)).Failed);
    }

    [Fact]
    public async Task Unknown_job_is_reported()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(Checkpoints));

        var answer = await jobs.Ask<PredictionResult>(new Predict("job-x", "r", new byte[784]), TimeSpan.FromSeconds(5));

        Assert.Equal(PredictionStatus.Failed, answer.Status);
        Assert.Contains("inference job 'job-x' not found", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_checkpoint_fails_deploy()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(Checkpoints));
        var model = new DeployedModel(
            "trial-9", "small-cnn", TrainedModels.CnnKnobs, "trial-9.e1", TrainedModels.Shape, TrainedModels.Test.ClassNames);

        var answer = await jobs.Ask<object>(
            new DeployInferenceJob("job-2", "study-1", [model], new InferenceJobSettings()), TimeSpan.FromSeconds(30));

        var failed = Assert.IsType<InferenceJobFailed>(answer);
        Assert.Contains("checkpoint 'trial-9.e1' not found", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_settings_fail_deploy()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(Checkpoints));
        var model = new DeployedModel("trial-1", "small-cnn", TrainedModels.CnnKnobs, "trial-1.e1", TrainedModels.Shape, ["a"]);
        var settings = new InferenceJobSettings(
            MaxBatchSize: 0, QueueLimit: 0, Policy: "fastest", TauMs: 10, MarginMs: 10, MaxLateMs: -1);

        var answer = await jobs.Ask<object>(new DeployInferenceJob("job-3", "study-1", [model], settings), TimeSpan.FromSeconds(5));

        var failed = Assert.IsType<InferenceJobFailed>(answer);
        Assert.Contains("maxBatchSize: 0 is invalid", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("queueLimit: 0 is invalid", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("policy: 'fastest' is unknown; use one of greedy, none, fixed-wait, aimd", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("marginMs: 10 is not below tauMs (10)", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("maxLateMs: -1 is invalid; use a time above 0 milliseconds", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploying_job_rejects_requests()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(Checkpoints));
        var model = await TrainedModels.SaveAsync(Checkpoints, 0);
        jobs.Tell(new DeployInferenceJob("job-1", "study-1", [model], new InferenceJobSettings()), TestActor);

        jobs.Tell(new Predict("job-1", "early", TrainedModels.Test.Image(0).ToArray()), TestActor);

        // The router answers the request before the deploy: loading and warming up take far longer than one message.
        var answer = ExpectMsg<PredictionResult>(TimeSpan.FromSeconds(30));
        Assert.Equal(PredictionStatus.Rejected, answer.Status);
        Assert.Contains("is still deploying", answer.Error, StringComparison.Ordinal);
        ExpectMsg<InferenceJobDeployed>(TimeSpan.FromSeconds(60));
    }
}
