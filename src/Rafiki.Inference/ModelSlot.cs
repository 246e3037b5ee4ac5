using Akka.Actor;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference;

/// <summary>A router's view of one model of its job: where the model actor runs and how fast it is.</summary>
internal sealed class ModelSlot
{
    /// <summary>Forward-pass latencies kept for the job's status.</summary>
    private const int LatencyWindow = 1024;

    private readonly RecentLatencies _forwardLatencies = new(LatencyWindow);

    public ModelSlot(int index, DeployedModel model, string entityId)
    {
        Index = index;
        Model = model;
        EntityId = entityId;
    }

    public int Index { get; }

    public DeployedModel Model { get; }

    /// <summary>Id the router starts the model actor with, through the shard region or the local host.</summary>
    public string EntityId { get; }

    /// <summary>The model actor itself, which runs batches; null until it reports ready.</summary>
    public IActorRef? Actor { get; private set; }

    /// <summary>Latency by batch size measured during warm-up; empty until ready.</summary>
    public IReadOnlyDictionary<int, double> WarmupLatenciesMs { get; private set; } = new Dictionary<int, double>();

    public bool IsReady => Actor is not null;

    public void MarkReady(IActorRef actor, IReadOnlyDictionary<int, double> warmupLatenciesMs)
    {
        Actor = actor;
        WarmupLatenciesMs = warmupLatenciesMs;
    }

    /// <summary>Records the forward-pass time of one batch, as measured by the model actor.</summary>
    public void RecordForwardPass(double elapsedMs) => _forwardLatencies.Add(elapsedMs);

    public ModelStatus ToStatus() =>
        new(Index, Model.TrialId, Actor?.Path.ToString(), WarmupLatenciesMs, _forwardLatencies.Percentiles());
}
