using System.Diagnostics;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Event;
using Rafiki.Models;
using Rafiki.Storage.Checkpoints;

namespace Rafiki.Inference;

/// <summary>
/// Serves one trained model on the pinned model dispatcher, so its forward passes never occupy a thread of the
/// default dispatcher. It loads the checkpoint, warms up, measures the latency of each power-of-two batch size up
/// to the maximum, then runs the batches its router sends, one at a time.
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

    private const int WarmUpRounds = 3;

    private readonly int _index;
    private readonly DeployedModel _deployed;
    private readonly IParameterStore _checkpoints;
    private readonly int _maxBatchSize;
    private readonly string _device;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IModel? _model;

    public ModelActor(int index, DeployedModel deployed, IParameterStore checkpoints, int maxBatchSize, string device)
    {
        _index = index;
        _deployed = deployed;
        _checkpoints = checkpoints;
        _maxBatchSize = maxBatchSize;
        _device = device;
        Receive<RunBatch>(Run);
    }

    /// <summary>Props on the pinned model dispatcher.</summary>
    public static Props Props(int index, DeployedModel deployed, IParameterStore checkpoints, int maxBatchSize, string device) =>
        Akka.Actor.Props.Create(() => new ModelActor(index, deployed, checkpoints, maxBatchSize, device)).WithDispatcher(DispatcherId);

    /// <summary>The model is loaded and warm; latencies by batch size in milliseconds.</summary>
    public sealed record ModelReady(int Index, IReadOnlyDictionary<int, double> BatchLatenciesMs);

    /// <summary>The model could not be loaded.</summary>
    public sealed record ModelFailed(int Index, string Reason);

    /// <summary>Runs a batch of images laid out one after the other.</summary>
    public sealed record RunBatch(long BatchId, byte[] Pixels, int Count);

    /// <summary>Probabilities for a batch (count x classes, row-major) and how long the forward pass took.</summary>
    public sealed record BatchDone(long BatchId, int Index, float[] Probabilities, double ElapsedMs);

    /// <summary>The forward pass threw.</summary>
    public sealed record BatchFailed(long BatchId, int Index, string Reason);

    protected override void PreStart()
    {
        try
        {
            var parameters = _checkpoints.LoadAsync(_deployed.CheckpointId).GetAwaiter().GetResult()
                             ?? throw new InvalidOperationException($"checkpoint '{_deployed.CheckpointId}' not found in the parameter store.");
            var spec = new ModelSpec(_deployed.Knobs, _deployed.Input, _deployed.ClassNames.Count, Seed: 0, _device);
            _model = ModelZoo.Get(_deployed.Family).Create(spec);
            _model.LoadParameters(parameters, strict: true);
            Context.Parent.Tell(new ModelReady(_index, MeasureLatencies()));
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or ArgumentException or IOException)
        {
            _log.Error(e, "Model of trial {TrialId} failed to load", _deployed.TrialId);
            Context.Parent.Tell(new ModelFailed(_index, $"model of trial {_deployed.TrialId} failed to load: {e.Message}"));
        }
    }

    protected override void PostStop() => _model?.Dispose();

    private IReadOnlyDictionary<int, double> MeasureLatencies()
    {
        var imageSize = _deployed.Input.Channels * _deployed.Input.Height * _deployed.Input.Width;
        var latencies = new SortedDictionary<int, double>();
        for (var size = 1; ; size = Math.Min(size * 2, _maxBatchSize))
        {
            var images = new byte[size * imageSize];
            var timings = new List<double>();
            for (var round = 0; round < WarmUpRounds; round++)
            {
                var stopwatch = Stopwatch.StartNew();
                _model!.PredictProbabilities(images, size);
                timings.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            latencies[size] = timings.Max();
            if (size == _maxBatchSize)
            {
                return latencies;
            }
        }
    }

    private void Run(RunBatch batch)
    {
        if (_model is null)
        {
            Sender.Tell(new BatchFailed(batch.BatchId, _index, "model is not loaded"));
            return;
        }

        try
        {
            var stopwatch = Stopwatch.StartNew();
            var probabilities = _model.PredictProbabilities(batch.Pixels, batch.Count);
            Sender.Tell(new BatchDone(batch.BatchId, _index, probabilities, stopwatch.Elapsed.TotalMilliseconds));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ExternalException)
        {
            _log.Error(e, "Batch {BatchId} of {Count} failed on the model of trial {TrialId}", batch.BatchId, batch.Count, _deployed.TrialId);
            Sender.Tell(new BatchFailed(batch.BatchId, _index, e.Message));
        }
    }
}
