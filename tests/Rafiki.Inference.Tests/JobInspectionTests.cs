using Akka.Actor;
using Rafiki.Batching;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference.Tests;

public sealed class JobInspectionTests : InferenceTestKit
{
    [Fact]
    public async Task Jobs_are_listed_with_status()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(Checkpoints));
        await DeployAsync(jobs, "job-b", new InferenceJobSettings(Policy: BatchingPolicies.Aimd, TauMs: 80));
        await DeployAsync(jobs, "job-a", new InferenceJobSettings());

        var list = await jobs.Ask<InferenceJobList>(ListInferenceJobs.Instance, TimeSpan.FromSeconds(10));

        Assert.Equal(["job-a", "job-b"], list.Jobs.Select(job => job.JobId));
        Assert.Equal(BatchingPolicies.Aimd, list.Jobs[1].Policy);
        Assert.Equal(80, list.Jobs[1].TauMs);
        Assert.All(list.Jobs, job => Assert.Equal(InferenceJobState.Serving, job.State));
    }

    [Fact]
    public async Task Status_reports_latency_and_estimates()
    {
        // A long maximum lateness, so that on a busy machine none of the 40 requests that run one by one expires.
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 4, Policy: BatchingPolicies.None, MaxLateMs: 60_000));
        var warmup = (await StatusAsync(jobs)).Models[0].WarmupLatenciesMs;

        SendImages(jobs, 40);
        ReceiveAnswers(40);
        var status = await StatusAsync(jobs);

        Assert.Equal(40, status.Latency.Count);
        Assert.True(status.Latency.P50Ms > 0);
        Assert.True(status.Latency.P50Ms <= status.Latency.P95Ms);
        Assert.True(status.Latency.P95Ms <= status.Latency.P99Ms);
        Assert.Equal(0, status.QueueLength);
        Assert.Equal([1, 2, 4], status.EstimatedBatchLatenciesMs.Keys.Order());

        // 40 batches of one exceed the 16 observations after which the estimate for b = 1 follows what was observed.
        Assert.NotEqual(warmup[1], status.EstimatedBatchLatenciesMs[1]);
    }

    [Fact]
    public async Task Stopped_job_frees_its_models()
    {
        var jobs = await DeployAsync(new InferenceJobSettings());
        var modelPath = (await StatusAsync(jobs)).Models[0].ActorPath!;
        var model = await Sys.ActorSelection(modelPath).ResolveOne(TimeSpan.FromSeconds(5));
        Watch(model);

        await jobs.Ask<InferenceJobStopped>(new StopInferenceJob("job-1"), TimeSpan.FromSeconds(5));

        ExpectTerminated(model, TimeSpan.FromSeconds(10));
        Assert.IsType<InferenceJobNotFound>(await jobs.Ask<object>(new GetInferenceJob("job-1"), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Stopped_job_id_can_be_redeployed()
    {
        var jobs = await DeployAsync(new InferenceJobSettings());
        await jobs.Ask<InferenceJobStopped>(new StopInferenceJob("job-1"), TimeSpan.FromSeconds(5));

        await DeployAsync(jobs, "job-1", new InferenceJobSettings());
        SendImages(jobs, 5);

        Assert.All(ReceiveAnswers(5), answer => Assert.Equal(PredictionStatus.Ok, answer.Status));
    }
}
