using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Rafiki.Batching.Latency;
using Rafiki.Models;
using Rafiki.Storage.Checkpoints;
using static Rafiki.Inference.ModelProtocol;

namespace Rafiki.Inference;

/// <summary>
/// Serves one trained model on the pinned model dispatcher, so its forward passes never occupy a thread of the
/// default dispatcher. In a cluster it is an entity of the "model" shard region on a worker node; without one, a
/// child of <see cref="ModelHostActor"/>. On <see cref="StartModel"/> it loads the checkpoint, warms up and measures
/// the latency of each warm-up batch size up to the maximum; then it runs the batches its router sends, one at a time.
/// </summary>
public sealed class ModelActor : ReceiveActor
{
    /// <summary>Dispatcher id that gives every model actor a thread of its own.</summary>
    public const string DispatcherId = "rafiki-model-dispatcher";

    /// <summary>HOCON for <see cref="DispatcherId"/>; every node that hosts model actors needs it.</summary>
    public const string DispatcherHocon = """
        rafiki-model-dispatcher {
          type = PinnedDispatcher
          executor = thread-pool-executor
        }
        """;

    /// <summary>Timed runs per warm-up batch size; the second slowest is reported.</summary>
    private const int WarmUpRounds = 7;

    private readonly string _entityId;
    private readonly IParameterStore _checkpoints;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private StartModel? _start;
    private IModel? _model;
    private IReadOnlyDictionary<int, double>? _latenciesMs;

    public ModelActor(string entityId, IParameterStore checkpoints)
    {
        _entityId = entityId;
        _checkpoints = checkpoints;
        Receive<StartModel>(Start);
        Receive<RunBatch>(Run);
        Receive<StopModel>(_ => Context.Stop(Self));
    }

    /// <summary>Props on the pinned model dispatcher; checkpoints are loaded from <paramref name="checkpoints"/>.</summary>
    public static Props Props(string entityId, IParameterStore checkpoints) =>
        Akka.Actor.Props.Create(() => new ModelActor(entityId, checkpoints)).WithDispatcher(DispatcherId);

    protected override void PostStop()
    {
        _model?.Dispose();
        if (_start is not null)
        {
            _log.Info("Model {ModelEntityId} of trial {TrialId} stopped and freed", _entityId, _start.Model.TrialId);
        }
    }

    /// <summary>
    /// Stops the actor after a restart, because a restarted actor has lost its model. Its router watches it and
    /// fails the job instead of sending batches to an actor that can no longer run them.
    /// </summary>
    protected override void PostRestart(Exception reason)
    {
        _log.Error(reason, "Model {ModelEntityId} crashed and stops", _entityId);
        Context.Stop(Self);
    }

    private void Start(StartModel start)
    {
        if (_model is not null && _latenciesMs is not null)
        {
            // A repeated start, such as a router's retry, finds the model warm already.
            Sender.Tell(new ModelReady(_entityId, _start!.Index, _latenciesMs));
            return;
        }

        _start = start;
        try
        {
            var deployed = start.Model;
            var parameters = _checkpoints.LoadAsync(deployed.CheckpointId).GetAwaiter().GetResult()
                             ?? throw new InvalidOperationException($"checkpoint '{deployed.CheckpointId}' not found in the parameter store.");
            var spec = new ModelSpec(deployed.Knobs, deployed.Input, deployed.ClassNames.Count, Seed: 0, start.Device);
            _model = ModelZoo.Get(deployed.Family).Create(spec);
            _model.LoadParameters(parameters, strict: true);
            _latenciesMs = MeasureLatencies(start.MaxBatchSize);
            _log.Info("Model {ModelEntityId} of trial {TrialId} is warm on {Device}", _entityId, deployed.TrialId, start.Device);
            Sender.Tell(new ModelReady(_entityId, start.Index, _latenciesMs));
        }
        catch (Exception e)
        {
            // Any failure must reach the router as a reply, because a crash would leave the deploy waiting for its timeout.
            _log.Error(e, "Model {ModelEntityId} of trial {TrialId} failed to load", _entityId, start.Model.TrialId);
            Sender.Tell(new ModelFailed(_entityId, start.Index, $"model of trial {start.Model.TrialId} failed to load: {e.Message}"));
            Context.Stop(Self);
        }
    }

    private SortedDictionary<int, double> MeasureLatencies(int maxBatchSize)
    {
        var imageSize = _start!.Model.Input.Channels * _start.Model.Input.Height * _start.Model.Input.Width;
        var latencies = new SortedDictionary<int, double>();
        foreach (var size in BatchLatencyModel.WarmupBatchSizes(maxBatchSize))
        {
            var images = new byte[size * imageSize];

            // The first run of a size allocates buffers and is much slower than the rest, so it is not timed.
            _model!.PredictProbabilities(images, size);
            var timesMs = new double[WarmUpRounds];
            for (var round = 0; round < WarmUpRounds; round++)
            {
                var stopwatch = Stopwatch.StartNew();
                _model.PredictProbabilities(images, size);
                timesMs[round] = stopwatch.Elapsed.TotalMilliseconds;
            }

            // The second slowest, not the slowest: on a busy machine one run that the OS preempts can take ten
            // times as long, and such a seed would make requests look overdue before the router has observed any
            // batch. Lower ranks would let greedy plan its first batches with a latency the machine rarely meets.
            Array.Sort(timesMs);
            latencies[size] = timesMs[WarmUpRounds - 2];
        }

        return latencies;
    }

    private void Run(RunBatch batch)
    {
        var index = _start?.Index ?? -1;
        if (_model is null)
        {
            Sender.Tell(new BatchFailed(batch.BatchId, index, $"model {_entityId} is not loaded; start it first"));
            return;
        }

        try
        {
            var stopwatch = Stopwatch.StartNew();
            var probabilities = _model.PredictProbabilities(batch.Pixels, batch.Count);
            Sender.Tell(new BatchDone(batch.BatchId, index, probabilities, stopwatch.Elapsed.TotalMilliseconds));
        }
        catch (Exception e)
        {
            // Any failure must reach the router, which replies to every request of the batch with it.
            _log.Error(e, "Batch {BatchId} of {Count} images failed on model {ModelEntityId}", batch.BatchId, batch.Count, _entityId);
            Sender.Tell(new BatchFailed(batch.BatchId, index, e.Message));
        }
    }
}
