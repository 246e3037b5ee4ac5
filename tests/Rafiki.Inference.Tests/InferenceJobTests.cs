using Akka.Actor;
using Akka.TestKit.Xunit2;
using Rafiki.Models;
using Rafiki.Models.ImageClassification;
using Rafiki.Storage.Checkpoints;
using Rafiki.Storage.Datasets;
using Rafiki.Testing;
using Rafiki.Tuning;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference.Tests;

public sealed class InferenceJobTests : TestKit, IDisposable
{
    private static readonly ImageShape Shape = new(1, 28, 28);

    private static readonly Knobs CnnKnobs = new(new Dictionary<string, KnobValue>
    {
        [SmallCnnFamily.Channels] = 16,
        [SmallCnnFamily.HiddenUnits] = 64,
        [SmallCnnFamily.Dropout] = 0.0,
        [TrainingKnobs.Optimizer] = "adam",
        [TrainingKnobs.AdamLearningRate] = 2e-3,
        [TrainingKnobs.WeightDecay] = 1e-5,
        [TrainingKnobs.BatchSize] = 32,
    });

    private readonly TemporaryDirectory _folder = new();
    private readonly FileSystemParameterStore _checkpoints;
    private readonly ImageDataset _test;

    public InferenceJobTests()
        : base(ModelActor.DispatcherHocon)
    {
        _checkpoints = new FileSystemParameterStore(_folder.Path);
        _test = IdxFormat.Read(Fixtures.PathOf("fashion-mnist/t10k-images-idx3-ubyte.gz"), Fixtures.PathOf("fashion-mnist/t10k-labels-idx1-ubyte.gz"));
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        _folder.Dispose();
    }

    [Fact]
    public async Task Job_answers_every_request_in_batches()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 16, MaxWaitMs: 20));

        for (var i = 0; i < 100; i++)
        {
            jobs.Tell(new Predict("job-1", $"r{i}", _test.Image(i).ToArray()));
        }

        var answers = ReceiveN(100, TimeSpan.FromSeconds(30)).Cast<PredictionResult>().ToList();
        var status = await jobs.Ask<InferenceJobStatus>(new GetInferenceJob("job-1"), TimeSpan.FromSeconds(5));

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Ok, answer.Status));
        Assert.Equal(100, answers.Select(answer => answer.RequestId).Distinct().Count());
        Assert.All(answers, answer => Assert.Equal(10, answer.Probabilities.Length));
        Assert.True(status.BatchSizeCounts.Keys.Max() <= 16);
        Assert.True(status.BatchSizeCounts.Keys.Max() > 1, "requests sent together were never batched");
        Assert.Equal(100, status.BatchSizeCounts.Sum(pair => pair.Key * pair.Value));
        Assert.Equal(100, status.Answered);
    }

    [Fact]
    public async Task Batched_answers_match_single_predictions()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 8, MaxWaitMs: 50));
        using var model = new SmallCnnFamily().Create(new ModelSpec(CnnKnobs, Shape, 10, 0));
        model.LoadParameters((await _checkpoints.LoadAsync("trial-1.e1"))!, strict: true);

        for (var i = 0; i < 8; i++)
        {
            jobs.Tell(new Predict("job-1", $"r{i}", _test.Image(i).ToArray()));
        }

        foreach (var answer in ReceiveN(8, TimeSpan.FromSeconds(30)).Cast<PredictionResult>())
        {
            var index = int.Parse(answer.RequestId[1..], System.Globalization.CultureInfo.InvariantCulture);
            var alone = model.PredictProbabilities(_test.Image(index), 1);
            Assert.Equal(Array.IndexOf(alone, alone.Max()), answer.Label);
            Assert.Equal(alone[answer.Label], answer.Probabilities[answer.Label], 4);
        }
    }

    [Fact]
    public async Task Full_queue_rejects_at_once()
    {
        var jobs = await DeployAsync(new InferenceJobSettings(MaxBatchSize: 1, MaxWaitMs: 0, QueueLimit: 2));

        for (var i = 0; i < 50; i++)
        {
            jobs.Tell(new Predict("job-1", $"r{i}", _test.Image(0).ToArray()));
        }

        var answers = ReceiveN(50, TimeSpan.FromSeconds(30)).Cast<PredictionResult>().ToList();

        Assert.Contains(answers, answer => answer.Status == PredictionStatus.Rejected);
        Assert.All(answers.Where(answer => answer.Status == PredictionStatus.Rejected),
            answer => Assert.Contains("queue full (2 requests waiting)", answer.Error, StringComparison.Ordinal));
        Assert.Equal(50, answers.Select(answer => answer.RequestId).Distinct().Count());
    }

    [Fact]
    public async Task Wrong_image_size_fails_with_expected_shape()
    {
        var jobs = await DeployAsync(new InferenceJobSettings());

        jobs.Tell(new Predict("job-1", "bad", new byte[10]));

        var answer = ExpectMsg<PredictionResult>();
        Assert.Equal(PredictionStatus.Failed, answer.Status);
        Assert.Contains("image has 10 bytes; this job expects 1x28x28 = 784 bytes", answer.Error, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Unknown_job_is_reported()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(_checkpoints));

        var answer = await jobs.Ask<PredictionResult>(new Predict("job-x", "r", new byte[784]), TimeSpan.FromSeconds(5));

        Assert.Equal(PredictionStatus.Failed, answer.Status);
        Assert.Contains("inference job 'job-x' not found", answer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_checkpoint_fails_deploy()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(_checkpoints));
        var model = new DeployedModel("trial-9", "small-cnn", CnnKnobs, "trial-9.e1", Shape, [.. Enumerable.Range(0, 10).Select(i => $"c{i}")]);

        var answer = await jobs.Ask<object>(new DeployInferenceJob("job-2", "study-1", [model], new InferenceJobSettings()), TimeSpan.FromSeconds(30));

        var failed = Assert.IsType<InferenceJobFailed>(answer);
        Assert.Contains("checkpoint 'trial-9.e1' not found", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_settings_fail_deploy()
    {
        var jobs = Sys.ActorOf(InferenceJobsActor.Props(_checkpoints));
        var model = new DeployedModel("trial-1", "small-cnn", CnnKnobs, "trial-1.e1", Shape, ["a"]);

        var answer = await jobs.Ask<object>(
            new DeployInferenceJob("job-3", "study-1", [model], new InferenceJobSettings(MaxBatchSize: 0, QueueLimit: 0)), TimeSpan.FromSeconds(5));

        var failed = Assert.IsType<InferenceJobFailed>(answer);
        Assert.Contains("maxBatchSize: 0 is invalid", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("queueLimit: 0 is invalid", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopped_job_is_gone()
    {
        var jobs = await DeployAsync(new InferenceJobSettings());

        await jobs.Ask<InferenceJobStopped>(new StopInferenceJob("job-1"), TimeSpan.FromSeconds(5));
        await AwaitAssertAsync(async () =>
            Assert.IsType<InferenceJobNotFound>(await jobs.Ask<object>(new GetInferenceJob("job-1"), TimeSpan.FromSeconds(5))));
    }

    private async Task<IActorRef> DeployAsync(InferenceJobSettings settings)
    {
        using (var model = new SmallCnnFamily().Create(new ModelSpec(CnnKnobs, Shape, 10, 0)))
        {
            model.TrainEpoch(_test, 1, null, CancellationToken.None);
            await _checkpoints.SaveAsync("trial-1.e1", model.SaveParameters());
        }

        var jobs = Sys.ActorOf(InferenceJobsActor.Props(_checkpoints));
        var deployed = new DeployedModel("trial-1", "small-cnn", CnnKnobs, "trial-1.e1", Shape, _test.ClassNames);
        var answer = await jobs.Ask<object>(new DeployInferenceJob("job-1", "study-1", [deployed], settings), TimeSpan.FromSeconds(60));
        Assert.IsType<InferenceJobDeployed>(answer);
        return jobs;
    }
}
