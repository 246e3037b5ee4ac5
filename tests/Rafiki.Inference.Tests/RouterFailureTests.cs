using Akka.Actor;
using Akka.TestKit;
using Rafiki.Batching;
using static Rafiki.Inference.InferenceProtocol;
using static Rafiki.Inference.ModelProtocol;

namespace Rafiki.Inference.Tests;

/// <summary>
/// Every accepted request gets exactly one answer when the job stops, a model fails or a model stops answering.
/// The fixed-wait policy with a one-minute wait holds requests in the queue, so a test knows which requests are
/// waiting and which are running when it breaks something.
/// </summary>
public sealed class RouterFailureTests : InferenceTestKit
{
    private static readonly InferenceJobSettings HoldingSettings =
        new(MaxBatchSize: 64, MaxWaitMs: 60_000, Policy: BatchingPolicies.FixedWait, TauMs: 120_000, BatchTimeoutMs: 30_000);

    [Fact]
    public async Task Stop_while_busy_answers_everyone()
    {
        var jobs = await DeployAsync(HoldingSettings);

        SendImages(jobs, 100);
        jobs.Tell(new StopInferenceJob("job-1"), TestActor);
        var messages = ReceiveN(101, TimeSpan.FromSeconds(30));
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        var answers = messages.OfType<PredictionResult>().ToList();
        Assert.Single(messages.OfType<InferenceJobStopped>());
        Assert.Equal(100, answers.Select(answer => answer.RequestId).Distinct().Count());
        Assert.All(answers, answer => Assert.Contains(answer.Status, new[] { PredictionStatus.Ok, PredictionStatus.Rejected }));

        // The first 64 run as one batch at once; the other 36 wait for the one-minute timer when the job stops.
        var stopped = answers.Where(answer => answer.Status == PredictionStatus.Rejected).ToList();
        Assert.True(stopped.Count >= 36, $"only {stopped.Count} answers were rejected by the stop");
        Assert.All(stopped, answer => Assert.Contains("inference job 'job-1' stopped", answer.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopped_model_fails_job_and_answers()
    {
        var jobs = await DeployAsync(HoldingSettings);
        var model = await Sys.ActorSelection((await StatusAsync(jobs)).Models[0].ActorPath!).ResolveOne(TimeSpan.FromSeconds(5));

        SendImages(jobs, 100);
        Sys.Stop(model);
        var answers = ReceiveAnswers(100);
        ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        var failed = answers.Where(answer => answer.Status == PredictionStatus.Failed).ToList();
        Assert.True(failed.Count >= 36, $"only {failed.Count} answers failed after the model stopped");
        Assert.All(failed, answer => Assert.Contains("the model of trial trial-0 stopped", answer.Error, StringComparison.Ordinal));
        await AwaitAssertAsync(async () =>
            Assert.IsType<InferenceJobNotFound>(await jobs.Ask<object>(new GetInferenceJob("job-1"), TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task Failed_batch_answers_each_request()
    {
        var (router, model) = await StartWithProbeModelAsync(HoldingSettings with { MaxBatchSize = 4 });

        SendImages(router, 6);
        var run = model.ExpectMsg<RunBatch>();
        model.Reply(new BatchFailed(run.BatchId, 0, "CUDA out of memory"));
        var failed = ReceiveAnswers(4);
        var status = await StatusAsync(router);

        Assert.All(failed, answer => Assert.Equal(PredictionStatus.Failed, answer.Status));
        Assert.All(failed, answer => Assert.Equal("model of trial trial-0 failed: CUDA out of memory", answer.Error));
        Assert.Equal(["r0", "r1", "r2", "r3"], failed.Select(answer => answer.RequestId).Order());
        Assert.Equal(4, status.Failed);
        Assert.Equal(2, status.QueueLength);
    }

    [Fact]
    public async Task Silent_model_times_out_batch()
    {
        var (router, model) = await StartWithProbeModelAsync(HoldingSettings with { MaxBatchSize = 2, BatchTimeoutMs = 300 });

        SendImages(router, 2);
        var run = model.ExpectMsg<RunBatch>();
        var answers = ReceiveAnswers(2);
        model.Reply(new BatchDone(run.BatchId, 0, new float[20], 1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Failed, answer.Status));
        Assert.All(answers, answer => Assert.Contains("did not answer within batchTimeoutMs (300 ms)", answer.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failed_load_fails_deploy()
    {
        var host = CreateTestProbe();
        var model = await TrainedModels.SaveAsync(Checkpoints, 0);

        // As the router's parent, the test actor acts as the job manager.
        var router = ChildActorOf(RouterActor.Props(new DeployInferenceJob("job-1", "study-1", [model], HoldingSettings), host.Ref, TestActor));
        Watch(router);

        var start = host.ExpectMsg<StartModel>();
        host.Reply(new ModelFailed(start.ModelEntityId, 0, "model of trial trial-0 failed to load: disk error"));
        var failed = ExpectMsg<InferenceJobFailed>();
        var ended = ExpectMsg<RouterActor.JobEnded>();
        router.Tell(new Predict("job-1", "late", TrainedModels.Test.Image(0).ToArray()), TestActor);
        var answer = ExpectMsg<PredictionResult>();
        router.Tell(PoisonPill.Instance);

        Assert.Equal("model of trial trial-0 failed to load: disk error", failed.Reason);
        Assert.Contains("failed to deploy: model of trial trial-0 failed to load", ended.Reason, StringComparison.Ordinal);
        Assert.Equal(PredictionStatus.Failed, answer.Status);
        Assert.Equal(ended.Reason, answer.Error);
        host.ExpectMsg<StopModel>(stop => Assert.Equal(start.ModelEntityId, stop.ModelEntityId));
        ExpectTerminated(router);
    }

    /// <summary>Starts a router whose only model is a probe that answers the start with made-up latencies.</summary>
    private async Task<(IActorRef Router, TestProbe Model)> StartWithProbeModelAsync(InferenceJobSettings settings)
    {
        var host = CreateTestProbe();
        var model = CreateTestProbe();
        var deployed = await TrainedModels.SaveAsync(Checkpoints, 0);
        var router = Sys.ActorOf(RouterActor.Props(new DeployInferenceJob("job-1", "study-1", [deployed], settings), host.Ref, TestActor));

        var start = host.ExpectMsg<StartModel>();
        var latencies = Batching.Latency.BatchLatencyModel.WarmupBatchSizes(settings.MaxBatchSize).ToDictionary(size => size, size => 1.0 + size);
        router.Tell(new ModelReady(start.ModelEntityId, 0, latencies), model.Ref);
        ExpectMsg<InferenceJobDeployed>();
        return (router, model);
    }
}
