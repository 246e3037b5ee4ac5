using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Rafiki.Storage.Checkpoints;
using Rafiki.Testing;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference.Tests;

/// <summary>A test kit with the model dispatcher, a checkpoint folder and helpers to deploy and query jobs.</summary>
public abstract class InferenceTestKit : TestKit
{
    private readonly TemporaryDirectory _folder = new();

    protected InferenceTestKit()
        : base(ModelActor.DispatcherHocon)
    {
        Checkpoints = new FileSystemParameterStore(_folder.Path);
    }

    protected FileSystemParameterStore Checkpoints { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _folder.Dispose();
        }
    }

    /// <summary>Starts a job manager with local model actors and deploys trained model 0 as "job-1".</summary>
    protected async Task<IActorRef> DeployAsync(InferenceJobSettings settings, params int[] models)
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(Checkpoints));
        await DeployAsync(jobs, "job-1", settings, models);
        return jobs;
    }

    /// <summary>Deploys the trained models (model 0 when none are named) as a job and checks it deployed.</summary>
    protected async Task<InferenceJobDeployed> DeployAsync(IActorRef jobs, string jobId, InferenceJobSettings settings, params int[] models)
    {
        var deployed = new List<DeployedModel>();
        foreach (var number in models.Length == 0 ? [0] : models)
        {
            deployed.Add(await TrainedModels.SaveAsync(Checkpoints, number));
        }

        var answer = await jobs.Ask<object>(
            new DeployInferenceJob(jobId, "study-1", [.. deployed], settings), TimeSpan.FromSeconds(60));
        return Assert.IsType<InferenceJobDeployed>(answer);
    }

    /// <summary>Sends test images 0 to <paramref name="count"/> - 1 as requests r0, r1, ... with the test actor as sender.</summary>
    protected void SendImages(IActorRef jobs, int count, string jobId = "job-1")
    {
        for (var i = 0; i < count; i++)
        {
            jobs.Tell(new Predict(jobId, $"r{i}", TrainedModels.Test.Image(i % TrainedModels.Test.Count).ToArray()), TestActor);
        }
    }

    /// <summary>Receives <paramref name="count"/> answers and checks that no request is answered twice.</summary>
    protected ImmutableArray<PredictionResult> ReceiveAnswers(int count)
    {
        var answers = ReceiveN(count, TimeSpan.FromSeconds(60)).Cast<PredictionResult>().ToImmutableArray();
        Assert.Equal(count, answers.Select(answer => answer.RequestId).Distinct().Count());
        return answers;
    }

    protected static Task<InferenceJobStatus> StatusAsync(IActorRef jobs, string jobId = "job-1") =>
        jobs.Ask<InferenceJobStatus>(new GetInferenceJob(jobId), TimeSpan.FromSeconds(5));
}
