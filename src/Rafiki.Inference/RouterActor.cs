using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Rafiki.Storage.Checkpoints;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference;

/// <summary>
/// The router of one inference job: it starts a <see cref="ModelActor"/> per deployed model, queues prediction
/// requests in a bounded queue, and sends batches to the models one at a time. A batch runs when
/// <see cref="InferenceJobSettings.MaxBatchSize"/> requests wait, or when the oldest has waited
/// <see cref="InferenceJobSettings.MaxWaitMs"/>. Ensembles average the models' probabilities.
/// Every accepted request gets exactly one answer.
/// </summary>
public sealed class RouterActor : ReceiveActor, IWithTimers
{
    private readonly DeployInferenceJob _job;
    private readonly IParameterStore _checkpoints;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<Request> _queue = new();
    private readonly List<IActorRef> _models = [];
    private readonly IReadOnlyDictionary<int, double>[] _latencies;
    private readonly Dictionary<int, long> _batchSizeCounts = [];
    private readonly int _imageSize;
    private IActorRef? _deployer;
    private InFlight? _inFlight;
    private long _nextBatchId;
    private long _answered;
    private long _rejected;
    private long _failed;

    public RouterActor(DeployInferenceJob job, IParameterStore checkpoints)
    {
        _job = job;
        _checkpoints = checkpoints;
        _latencies = new IReadOnlyDictionary<int, double>[job.Models.Length];
        var input = job.Models[0].Input;
        _imageSize = input.Channels * input.Height * input.Width;
        Deploying();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a job; checkpoints are loaded from <paramref name="checkpoints"/>.</summary>
    public static Props Props(DeployInferenceJob job, IParameterStore checkpoints) =>
        Akka.Actor.Props.Create(() => new RouterActor(job, checkpoints));

    protected override void PreStart()
    {
        for (var i = 0; i < _job.Models.Length; i++)
        {
            _models.Add(Context.ActorOf(
                ModelActor.Props(i, _job.Models[i], _checkpoints, _job.Settings.MaxBatchSize, _job.Settings.Device), $"model-{i}"));
        }
    }

    protected override void PostStop()
    {
        foreach (var request in _queue)
        {
            request.Sender.Tell(Rejection(request, "the inference job stopped"));
        }

        foreach (var request in _inFlight?.Requests ?? [])
        {
            request.Sender.Tell(Rejection(request, "the inference job stopped"));
        }
    }

    private void Deploying()
    {
        Receive<DeployInferenceJob>(_ => _deployer = Sender);
        Receive<ModelActor.ModelReady>(ready =>
        {
            _latencies[ready.Index] = ready.BatchLatenciesMs;
            if (_latencies.All(latency => latency is not null))
            {
                _log.Info("Inference job {JobId} serves {Models} model(s); batch latencies {Latencies}", _job.JobId, _models.Count,
                    string.Join("; ", _latencies.Select(l => string.Join(", ", l.Select(p => $"{p.Key}:{p.Value:F1}ms")))));
                _deployer?.Tell(new InferenceJobDeployed(_job.JobId, _latencies));
                Become(Serving);
                TryDispatch();
            }
        });
        Receive<ModelActor.ModelFailed>(failed =>
        {
            _deployer?.Tell(new InferenceJobFailed(_job.JobId, failed.Reason));
            Context.Stop(Self);
        });
        Receive<Predict>(Enqueue);
        Receive<GetInferenceJob>(_ => Sender.Tell(Status()));
        Receive<StopInferenceJob>(Stop);
    }

    private void Serving()
    {
        Receive<Predict>(predict =>
        {
            Enqueue(predict);
            TryDispatch();
        });
        Receive<ModelActor.BatchDone>(Complete);
        Receive<ModelActor.BatchFailed>(Fail);
        Receive<DispatchDue>(_ => TryDispatch());
        Receive<GetInferenceJob>(_ => Sender.Tell(Status()));
        Receive<StopInferenceJob>(Stop);
    }

    private void Enqueue(Predict predict)
    {
        var arrived = Stopwatch.GetTimestamp();
        if (predict.Image.Length != _imageSize)
        {
            _failed++;
            var shape = _job.Models[0].Input;
            Sender.Tell(new PredictionResult(_job.JobId, predict.RequestId, PredictionStatus.Failed, -1, null, [], 0,
                $"image has {predict.Image.Length} bytes; this job expects {shape.Channels}x{shape.Height}x{shape.Width} = {_imageSize} bytes."));
            return;
        }

        if (_queue.Count >= _job.Settings.QueueLimit)
        {
            _rejected++;
            Sender.Tell(Rejection(new Request(Sender, predict.RequestId, predict.Image, arrived),
                $"queue full ({_job.Settings.QueueLimit} requests waiting); retry later."));
            return;
        }

        _queue.Enqueue(new Request(Sender, predict.RequestId, predict.Image, arrived));
    }

    private void TryDispatch()
    {
        if (_inFlight is not null || _queue.Count == 0)
        {
            return;
        }

        var waitedMs = Stopwatch.GetElapsedTime(_queue.Peek().ArrivedAt).TotalMilliseconds;
        if (_queue.Count < _job.Settings.MaxBatchSize && waitedMs < _job.Settings.MaxWaitMs)
        {
            Timers.StartSingleTimer(nameof(DispatchDue), DispatchDue.Instance, TimeSpan.FromMilliseconds(_job.Settings.MaxWaitMs - waitedMs));
            return;
        }

        var count = Math.Min(_queue.Count, _job.Settings.MaxBatchSize);
        var requests = new Request[count];
        var pixels = new byte[count * _imageSize];
        for (var i = 0; i < count; i++)
        {
            requests[i] = _queue.Dequeue();
            requests[i].Image.CopyTo(pixels, i * _imageSize);
        }

        _inFlight = new InFlight(++_nextBatchId, requests, _models.Count);
        _batchSizeCounts[count] = _batchSizeCounts.GetValueOrDefault(count) + 1;
        foreach (var model in _models)
        {
            model.Tell(new ModelActor.RunBatch(_inFlight.BatchId, pixels, count));
        }
    }

    private void Complete(ModelActor.BatchDone done)
    {
        if (_inFlight is not { } batch || batch.BatchId != done.BatchId)
        {
            return;
        }

        batch.Add(done.Probabilities);
        if (batch.Pending > 0)
        {
            return;
        }

        var classNames = _job.Models[0].ClassNames;
        var probabilities = batch.Average();
        var classes = classNames.Count;
        for (var i = 0; i < batch.Requests.Length; i++)
        {
            var request = batch.Requests[i];
            var row = probabilities.AsSpan(i * classes, classes).ToArray();
            var label = Array.IndexOf(row, row.Max());
            request.Sender.Tell(new PredictionResult(_job.JobId, request.RequestId, PredictionStatus.Ok, label, classNames[label], row,
                Stopwatch.GetElapsedTime(request.ArrivedAt).TotalMilliseconds));
        }

        _answered += batch.Requests.Length;
        _inFlight = null;
        TryDispatch();
    }

    private void Fail(ModelActor.BatchFailed failed)
    {
        if (_inFlight is not { } batch || batch.BatchId != failed.BatchId)
        {
            return;
        }

        foreach (var request in batch.Requests)
        {
            request.Sender.Tell(new PredictionResult(_job.JobId, request.RequestId, PredictionStatus.Failed, -1, null, [],
                Stopwatch.GetElapsedTime(request.ArrivedAt).TotalMilliseconds, $"model failed: {failed.Reason}"));
        }

        _failed += batch.Requests.Length;
        _inFlight = null;
        TryDispatch();
    }

    private void Stop(StopInferenceJob stop)
    {
        _log.Info("Inference job {JobId} stopping after {Answered} answers", _job.JobId, _answered);
        Sender.Tell(new InferenceJobStopped(_job.JobId));
        Context.Stop(Self);
    }

    private InferenceJobStatus Status() => new(
        _job.JobId,
        _job.StudyId,
        [.. _job.Models.Select(model => model.TrialId)],
        _queue.Count,
        _answered,
        _rejected,
        _failed,
        new SortedDictionary<int, long>(_batchSizeCounts));

    private PredictionResult Rejection(Request request, string reason) =>
        new(_job.JobId, request.RequestId, PredictionStatus.Rejected, -1, null, [],
            Stopwatch.GetElapsedTime(request.ArrivedAt).TotalMilliseconds, reason);

    private sealed record Request(IActorRef Sender, string RequestId, byte[] Image, long ArrivedAt);

    private sealed class InFlight(long batchId, Request[] requests, int models)
    {
        private readonly int _models = models;
        private float[]? _sum;

        public long BatchId { get; } = batchId;

        public Request[] Requests { get; } = requests;

        public int Pending { get; private set; } = models;

        public void Add(float[] probabilities)
        {
            if (_sum is null)
            {
                _sum = (float[])probabilities.Clone();
            }
            else
            {
                for (var i = 0; i < _sum.Length; i++)
                {
                    _sum[i] += probabilities[i];
                }
            }

            Pending--;
        }

        public float[] Average()
        {
            var average = _sum!;
            for (var i = 0; i < average.Length; i++)
            {
                average[i] /= _models;
            }

            return average;
        }
    }

    private sealed record DispatchDue
    {
        public static DispatchDue Instance { get; } = new();
    }
}
