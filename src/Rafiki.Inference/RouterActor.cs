using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Akka.Actor;
using Akka.Event;
using Rafiki.Batching;
using Rafiki.Batching.Latency;
using Rafiki.Batching.Queueing;
using static Rafiki.Inference.InferenceProtocol;
using static Rafiki.Inference.ModelProtocol;

namespace Rafiki.Inference;

/// <summary>
/// The router of one inference job. It starts a <see cref="ModelActor"/> per deployed model through the model host
/// (the cluster's "model" shard region, or a local <see cref="ModelHostActor"/>), seeds the batch latency estimate
/// with the models' warm-up latencies, and then queues prediction requests in a <see cref="BatchScheduler{T}"/>
/// whose policy decides when a batch runs and how large it is. Every model of an ensemble runs each batch, and the
/// answers carry the mean of the models' probabilities. Every request gets exactly one answer: a prediction (late or
/// not), or a rejection, an overdue reply or a failure, including when a model fails or the job stops.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Actors are not disposed; PostStop disposes the wake-up timer.")]
public sealed partial class RouterActor : ReceiveActor, IWithTimers
{
    private const string DeployTimeoutKey = "deploy-timeout";
    private const string BatchTimeoutKey = "batch-timeout";

    /// <summary>Time between wake-up lag probes.</summary>
    private const int LagProbeIntervalMs = 50;

    /// <summary>Batches in a size's bucket after which the median of their latencies replaces its warm-up latency.</summary>
    private const int TypicalMinSamples = 4;

    private readonly DeployInferenceJob _job;
    private readonly IActorRef _modelHost;
    private readonly ModelSlot[] _models;
    private readonly JobStatistics _statistics = new();
    private readonly WakeUpLagEstimate _wakeUpLags = new();
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly int _imageSize;
    private readonly int _classCount;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _deployer;
    private WakeUpTimer? _wakeUp;
    private double? _wakeAtMs;
    private WakeUpTimer? _lagProbe;
    private double _lagProbeDueMs;
    private BatchScheduler<PendingRequest>? _scheduler;
    private BatchLatencyModel? _typicalLatency;
    private EnsembleBatch? _running;
    private bool _ended;

    /// <param name="job">The job; its settings and models were validated by the job manager.</param>
    /// <param name="modelHost">Where model actors are started: the "model" shard region or a local host.</param>
    /// <param name="deployer">Receives <see cref="InferenceJobDeployed"/> or <see cref="InferenceJobFailed"/>.</param>
    public RouterActor(DeployInferenceJob job, IActorRef modelHost, IActorRef deployer)
    {
        _job = job;
        _modelHost = modelHost;
        _deployer = deployer;
        var deploymentId = Guid.NewGuid().ToString("N")[..8];
        _models = [.. job.Models.Select((model, i) => new ModelSlot(i, model, EntityIdOf(job.JobId, deploymentId, i)))];
        var input = job.Models[0].Input;
        _imageSize = input.Channels * input.Height * input.Width;
        _classCount = job.Models[0].ClassNames.Count;
        Deploying();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private InferenceJobSettings Settings => _job.Settings;

    /// <summary>Props for a job whose models start through <paramref name="modelHost"/>.</summary>
    public static Props Props(DeployInferenceJob job, IActorRef modelHost, IActorRef deployer) =>
        Akka.Actor.Props.Create(() => new RouterActor(job, modelHost, deployer));

    protected override void PreStart()
    {
        _wakeUp = new WakeUpTimer(Self, WakeUp.Instance);
        _lagProbe = new WakeUpTimer(Self, LagProbe.Instance);

        // Probing from the start gives greedy a lag estimate for its very first batch.
        ArmLagProbe();
        _log.Info("Inference job {JobId} deploying trials {TrialIds} with policy {Policy}, tau {TauMs} ms, Bmax {MaxBatchSize}",
            _job.JobId, string.Join(", ", _models.Select(m => m.Model.TrialId)), Settings.Policy, Settings.TauMs, Settings.MaxBatchSize);
        foreach (var slot in _models)
        {
            _modelHost.Tell(new StartModel(slot.EntityId, _job.JobId, slot.Index, slot.Model, Settings.MaxBatchSize, Settings.Device));
        }

        Timers.StartSingleTimer(DeployTimeoutKey, DeployTimedOut.Instance, TimeSpan.FromMilliseconds(Settings.DeployTimeoutMs));
    }

    protected override void PostStop()
    {
        _wakeUp?.Dispose();
        _lagProbe?.Dispose();
        _deployer?.Tell(new InferenceJobFailed(_job.JobId, $"inference job '{_job.JobId}' stopped before its models were ready."));
        var status = Status();
        var heldRequests = (_scheduler?.RunningBatch?.Size ?? 0) + status.QueueLength;
        if (!_ended)
        {
            AnswerHeldRequests(PredictionStatus.Rejected, $"inference job '{_job.JobId}' stopped; deploy it again to send more requests.");
            StopModels();
        }

        _log.Info("Inference job {JobId} stopped: {Answered} answered, {Overdue} overdue, {Rejected} rejected, {Failed} failed, "
            + "{Held} held at the stop and rejected",
            _job.JobId, status.Answered, status.Overdue, status.Rejected, status.Failed, _ended ? 0 : heldRequests);
    }

    private void Deploying()
    {
        Receive<ModelReady>(OnModelReady);
        Receive<ModelFailed>(failed => FailDeploy(failed.Reason));
        Receive<DeployTimedOut>(_ => FailDeploy(
            $"models not ready within {Settings.DeployTimeoutMs} ms: {string.Join(", ", _models.Where(m => !m.IsReady).Select(m => m.Model.TrialId))}; "
            + "check that a node with the worker role is up, or raise deployTimeoutMs."));
        Receive<Terminated>(terminated => FailDeploy($"model actor {terminated.ActorRef.Path} stopped while the job deployed."));
        Receive<Predict>(predict =>
        {
            _statistics.RecordRejectedWhileDeploying();
            Sender.Tell(Answer(predict.RequestId, PredictionStatus.Rejected, 0,
                $"inference job '{_job.JobId}' is still deploying; retry once it is deployed."));
        });
        Receive<LagProbe>(_ => OnLagProbe());
        Receive<GetInferenceJob>(_ => Sender.Tell(Status()));
        Receive<StopInferenceJob>(Stop);
    }

    /// <summary>
    /// The job failed and waits for its manager to remove it. Until the manager's PoisonPill arrives, requests that
    /// were already on their way are answered with the failure instead of being dropped with the mailbox.
    /// </summary>
    private void Ended(string reason)
    {
        Receive<Predict>(predict => Sender.Tell(Answer(predict.RequestId, PredictionStatus.Failed, 0, reason)));
        Receive<GetInferenceJob>(_ => Sender.Tell(Status()));
        Receive<StopInferenceJob>(Stop);
        ReceiveAny(_ => { });
    }

    private void OnModelReady(ModelReady ready)
    {
        if (ready.Index < 0 || ready.Index >= _models.Length || _models[ready.Index].EntityId != ready.ModelEntityId)
        {
            _log.Warning("Inference job {JobId} ignored a ready message from unknown model {ModelEntityId}", _job.JobId, ready.ModelEntityId);
            return;
        }

        _models[ready.Index].MarkReady(Sender, ready.BatchLatenciesMs);
        Context.Watch(Sender);
        if (!_models.All(slot => slot.IsReady))
        {
            return;
        }

        Timers.Cancel(DeployTimeoutKey);
        var batchLatency = SeedLatencyModel(new BatchLatencyModelOptions(Percentile: 0.99));

        // Greedy picks its batch size by this median. Warm-up can rank sizes wrongly (in the inference bench a batch
        // of 64 took 9.5 ms alone and 17 to 20 ms while serving), so a size's median replaces warm-up after 4 batches.
        // NOTE: a size whose warm-up latency is too slow is never tried, so that error is never corrected.
        _typicalLatency = SeedLatencyModel(new BatchLatencyModelOptions(Percentile: 0.5, MinSamples: TypicalMinSamples));
        var planningLatency = new PlanningLatencyModel(batchLatency, _typicalLatency, _wakeUpLags);
        var policy = BatchingPolicies.Create(Settings.Policy, Settings.ToBatchingOptions(), planningLatency);
        _scheduler = new BatchScheduler<PendingRequest>(policy, batchLatency);
        _log.Info("Inference job {JobId} serves {Models} model(s) at {Paths}; warm-up latencies {Latencies}",
            _job.JobId, _models.Length, string.Join(", ", _models.Select(m => m.Actor!.Path)),
            string.Join("; ", _models.Select(m => string.Join(", ", m.WarmupLatenciesMs.Select(p => $"{p.Key}:{p.Value:F2}ms")))));
        // NOTE: estimates change only when batches run, so with the reject action a job whose c(1) estimate is at
        // least tau rejects every request and never recovers, even if the model is faster than its warm-up showed.
        // With serve-late the same happens once the c(1) estimate is at least tau plus maxLateMs.
        if (batchLatency.EstimateMs(1) >= Settings.TauMs)
        {
            _log.Warning("Inference job {JobId} has tau {TauMs} ms but a batch of one took {SingleMs:F2} ms in warm-up; every "
                + "request counts as overdue until a faster batch is observed. Raise tauMs or deploy a faster model.",
                _job.JobId, Settings.TauMs, batchLatency.EstimateMs(1));
        }

        _deployer?.Tell(new InferenceJobDeployed(_job.JobId, [.. _models.Select(m => m.WarmupLatenciesMs)]));
        _deployer = null;
        Become(Serving);
    }

    /// <summary>
    /// Returns the latency model for the whole ensemble. It starts from the sum of the models' warm-up latencies,
    /// which fits models that share one machine's cores and overestimates models on separate devices. The
    /// scheduler then records every batch's observed latency, from dispatch to the last model's reply, and the
    /// estimate follows those observations. Deadlines are planned with the p99 of each batch size's recent
    /// latencies rather than the p95 default, because a batch that greedy plans to end just before the oldest
    /// request's deadline makes that request late whenever it runs longer than planned. Greedy compares the
    /// throughput of batch sizes with the median.
    /// </summary>
    private BatchLatencyModel SeedLatencyModel(BatchLatencyModelOptions options)
    {
        var summed = new Dictionary<int, double>();
        foreach (var (size, latencyMs) in _models.SelectMany(slot => slot.WarmupLatenciesMs))
        {
            summed[size] = summed.GetValueOrDefault(size) + latencyMs;
        }

        return new BatchLatencyModel(summed, options);
    }

    private void FailDeploy(string reason)
    {
        _log.Warning("Inference job {JobId} failed to deploy: {Reason}", _job.JobId, reason);
        _deployer?.Tell(new InferenceJobFailed(_job.JobId, reason));
        _deployer = null;
        End($"inference job '{_job.JobId}' failed to deploy: {reason}");
    }

    /// <summary>
    /// Ends a failed job: answers every request it holds with the failure, stops the models and asks the job
    /// manager to remove the job. The router stops when the manager's PoisonPill arrives, after every message the
    /// manager forwarded before it.
    /// </summary>
    private void End(string reason)
    {
        Timers.CancelAll();
        _wakeUp?.Cancel();
        _lagProbe?.Cancel();
        AnswerHeldRequests(PredictionStatus.Failed, reason);
        StopModels();
        _ended = true;
        Context.Parent.Tell(new JobEnded(_job.JobId, reason));
        Become(() => Ended(reason));
    }

    /// <summary>Answers the running batch and every waiting request; the scheduler keeps none of them afterwards.</summary>
    private void AnswerHeldRequests(PredictionStatus status, string reason)
    {
        if (_scheduler is null)
        {
            return;
        }

        var nowMs = NowMs();
        if (_scheduler.RunningBatch is { } running)
        {
            _running = null;
            foreach (var request in _scheduler.Fail(running.Id, nowMs))
            {
                Reply(request.Request.Request, status, request.LatencyMs, reason);
            }
        }

        foreach (var request in _scheduler.WaitingRequests())
        {
            Reply(request.Request, status, nowMs - request.ArrivalMs, reason);
        }
    }

    private void StopModels()
    {
        foreach (var slot in _models)
        {
            // A model that never reported ready is reached through the host, which may still be starting it.
            (slot.Actor ?? _modelHost).Tell(new StopModel(slot.EntityId));
        }
    }

    private void Stop(StopInferenceJob stop)
    {
        Sender.Tell(new InferenceJobStopped(_job.JobId));
        Context.Stop(Self);
    }

    private InferenceJobStatus Status()
    {
        var counts = _scheduler?.Counts ?? default;
        var estimates = _scheduler is null
            ? new Dictionary<int, double>()
            : _scheduler.LatencyModel.BucketSizes.ToDictionary(size => size, _scheduler.LatencyModel.EstimateMs);
        return new InferenceJobStatus(
            _job.JobId,
            _job.StudyId,
            [.. _models.Select(slot => slot.Model.TrialId)],
            State(),
            Settings,
            _scheduler?.QueueLength ?? 0,
            Answered: counts.Answered + counts.OverdueServedLate,
            ServedLate: counts.OverdueServedLate,
            Overdue: counts.OverdueRejected,
            Rejected: counts.RejectedQueueFull + _statistics.RejectedWhileDeploying,
            Failed: counts.Failed + _statistics.InvalidRequests,
            _statistics.BatchSizeCounts(),
            _statistics.AnswerLatency(),
            _statistics.WakeUpLag(),
            estimates,
            [.. _models.Select(slot => slot.ToStatus())]);
    }

    private InferenceJobState State()
    {
        if (_ended)
        {
            return InferenceJobState.Failed;
        }

        return _scheduler is null ? InferenceJobState.Deploying : InferenceJobState.Serving;
    }

    private string TrialOf(int index) => index >= 0 && index < _models.Length ? _models[index].Model.TrialId : $"#{index}";

    private double NowMs() => Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    private void Reply(PendingRequest request, PredictionStatus status, double latencyMs, string reason) =>
        request.Sender.Tell(Answer(request.RequestId, status, latencyMs, reason));

    private PredictionResult Answer(string requestId, PredictionStatus status, double latencyMs, string reason) =>
        new(_job.JobId, requestId, status, -1, null, [], latencyMs, reason);

    /// <summary>
    /// Sent to the router's parent when the job failed. The parent removes the job and replies with a PoisonPill.
    /// </summary>
    public sealed record JobEnded(string JobId, string Reason);

    /// <summary>A queued request: who to answer and the image to classify.</summary>
    private sealed record PendingRequest(IActorRef Sender, string RequestId, byte[] Image);

    private sealed record WakeUp
    {
        public static WakeUp Instance { get; } = new();
    }

    private sealed record LagProbe
    {
        public static LagProbe Instance { get; } = new();
    }

    private sealed record DeployTimedOut
    {
        public static DeployTimedOut Instance { get; } = new();
    }

    private sealed record BatchTimedOut(long BatchId);
}
