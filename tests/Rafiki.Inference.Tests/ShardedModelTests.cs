using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;
using Rafiki.Hosting;
using Rafiki.Testing;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference.Tests;

/// <summary>
/// Jobs deployed through real nodes, whose model actors are entities of the "model" shard region on a node with
/// the worker role.
/// </summary>
public sealed class ShardedModelTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Model_runs_as_shard_entity()
    {
        await using var node = await StartAsync("all", NodeRoles.All, seedNodes: []);
        var model = await TrainedModels.SaveAsync(node.Checkpoints, 0);

        await DeployAsync(node, model);
        var answers = await PredictAsync(node, 20);
        var status = await node.InferenceJobs.Ask<InferenceJobStatus>(new GetInferenceJob("job-1"), TimeSpan.FromSeconds(5));

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Ok, answer.Status));
        Assert.Contains("/system/sharding/model/", status.Models[0].ActorPath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_runs_on_worker_node()
    {
        await using var api = await StartAsync("api", [NodeRoles.Master, NodeRoles.Api], seedNodes: []);
        var seed = Cluster.Get(api.System).SelfAddress.ToString();
        await using var worker = await StartAsync("worker", [NodeRoles.Worker], seedNodes: [seed]);
        var model = await TrainedModels.SaveAsync(api.Checkpoints, 0);

        await DeployAsync(api, model);
        var answers = await PredictAsync(api, 20);
        var status = await api.InferenceJobs.Ask<InferenceJobStatus>(new GetInferenceJob("job-1"), TimeSpan.FromSeconds(5));
        var modelActor = await api.System.ActorSelection(status.Models[0].ActorPath!).ResolveOne(TimeSpan.FromSeconds(5));
        var stopped = await api.InferenceJobs.Ask<InferenceJobStopped>(new StopInferenceJob("job-1"), TimeSpan.FromSeconds(5));
        var terminated = await modelActor.WatchAsync();

        Assert.All(answers, answer => Assert.Equal(PredictionStatus.Ok, answer.Status));
        Assert.All(answers, answer => Assert.Equal(10, answer.Probabilities.Length));
        Assert.StartsWith(Cluster.Get(worker.System).SelfAddress.ToString(), status.Models[0].ActorPath, StringComparison.Ordinal);
        Assert.Equal("job-1", stopped.JobId);
        Assert.True(terminated, "the model actor on the worker did not stop with its job");
    }

    private Task<RafikiNode> StartAsync(string name, IReadOnlyList<string> roles, IReadOnlyList<string> seedNodes) =>
        RafikiNode.StartAsync(
            new RafikiNodeOptions
            {
                DataDirectory = Path.Combine(_folder.Path, name),
                CheckpointDirectory = Path.Combine(_folder.Path, "checkpoints"),
                Roles = roles,
                SeedNodes = seedNodes,
                TorchThreads = 1,
            },
            logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());

    private static async Task DeployAsync(RafikiNode node, DeployedModel model)
    {
        var answer = await node.InferenceJobs.Ask<object>(
            new DeployInferenceJob("job-1", "study-1", [model], new InferenceJobSettings(MaxBatchSize: 8)), TimeSpan.FromSeconds(60));
        Assert.IsType<InferenceJobDeployed>(answer);
    }

    private static Task<PredictionResult[]> PredictAsync(RafikiNode node, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i => node.InferenceJobs.Ask<PredictionResult>(
            new Predict("job-1", $"r{i}", TrainedModels.Test.Image(i).ToArray()), TimeSpan.FromSeconds(30))));
}
