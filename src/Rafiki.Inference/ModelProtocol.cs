using Rafiki.Core;

namespace Rafiki.Inference;

/// <summary>
/// A message for one model actor, routed by <see cref="ModelEntityId"/>: through the cluster's "model" shard region
/// to a worker node, or through a <see cref="ModelHostActor"/> in a process without a cluster.
/// </summary>
public interface IWithModelEntityId : IRafikiMessage
{
    /// <summary>Id of the model actor: job id, deployment and model index, see <see cref="ModelProtocol.EntityIdOf"/>.</summary>
    string ModelEntityId { get; }
}

/// <summary>Messages between a job's router and its model actors.</summary>
public static class ModelProtocol
{
    /// <summary>
    /// Returns the entity id of model <paramref name="index"/> of one deployment of a job. The deployment id keeps
    /// a redeployed job id from reaching a model actor of the earlier deployment that is still stopping.
    /// </summary>
    public static string EntityIdOf(string jobId, string deploymentId, int index) => $"{jobId}/{deploymentId}/{index}";

    /// <summary>
    /// Loads the model, warms it up and measures its latency by batch size; answered to the sender with
    /// <see cref="ModelReady"/> or <see cref="ModelFailed"/>.
    /// </summary>
    /// <param name="ModelEntityId">The model actor.</param>
    /// <param name="JobId">Job the model serves, for logs.</param>
    /// <param name="Index">Position in the job's model list, echoed in every answer.</param>
    /// <param name="Model">What to load.</param>
    /// <param name="MaxBatchSize">Largest batch the router will send; warm-up measures up to it.</param>
    /// <param name="Device">TorchSharp device to load the model on.</param>
    public sealed record StartModel(
        string ModelEntityId, string JobId, int Index, DeployedModel Model, int MaxBatchSize, string Device) : IWithModelEntityId;

    /// <summary>The model is loaded and warm; its latency by batch size in milliseconds.</summary>
    public sealed record ModelReady(string ModelEntityId, int Index, IReadOnlyDictionary<int, double> BatchLatenciesMs) : IRafikiMessage;

    /// <summary>The model could not be loaded; the actor has stopped.</summary>
    public sealed record ModelFailed(string ModelEntityId, int Index, string Reason) : IRafikiMessage;

    /// <summary>Runs a batch of <see cref="Count"/> images laid out one after the other; sent to the actor directly.</summary>
    public sealed record RunBatch(long BatchId, byte[] Pixels, int Count) : IRafikiMessage;

    /// <summary>Probabilities for a batch (count x classes, row-major) and how long the forward pass took.</summary>
    public sealed record BatchDone(long BatchId, int Index, float[] Probabilities, double ElapsedMs) : IRafikiMessage;

    /// <summary>The forward pass threw, or the model was not loaded.</summary>
    public sealed record BatchFailed(long BatchId, int Index, string Reason) : IRafikiMessage;

    /// <summary>Stops the model actor and frees the model's memory.</summary>
    public sealed record StopModel(string ModelEntityId) : IWithModelEntityId;
}
