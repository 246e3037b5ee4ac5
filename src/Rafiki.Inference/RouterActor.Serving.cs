using System.Numerics;
using Akka.Actor;
using Akka.Event;
using Rafiki.Batching;
using Rafiki.Batching.Queueing;
using static Rafiki.Inference.InferenceProtocol;
using static Rafiki.Inference.ModelProtocol;

namespace Rafiki.Inference;

/// <summary>
/// The serving half of the router: requests into the scheduler, batches out to the models, results and failures
/// back to the callers, and the timers in between.
/// </summary>
public sealed partial class RouterActor
{
    private void Serving()
    {
        Receive<Predict>(OnPredict);
        Receive<BatchDone>(OnBatchDone);
        Receive<BatchFailed>(failed =>
        {
            if (_running?.BatchId == failed.BatchId)
            {
                FailRunningBatch($"model of trial {TrialOf(failed.Index)} failed: {failed.Reason}");
            }
        });
        Receive<BatchTimedOut>(timedOut =>
        {
            if (_running?.BatchId == timedOut.BatchId)
            {
                FailRunningBatch($"the models did not answer within batchTimeoutMs ({Settings.BatchTimeoutMs} ms).");
            }
        });
        Receive<WakeUp>(_ => OnWakeUp());
        Receive<LagProbe>(_ => OnLagProbe());
        Receive<Terminated>(OnModelTerminated);
        Receive<GetInferenceJob>(_ => Sender.Tell(Status()));
        Receive<StopInferenceJob>(Stop);
    }

    private void OnPredict(Predict predict)
    {
        var nowMs = NowMs();
        if (predict.Image.Length != _imageSize)
        {
            _statistics.RecordInvalidRequest();
            var shape = _job.Models[0].Input;
            Sender.Tell(Answer(predict.RequestId, PredictionStatus.Failed, 0,
                $"image has {predict.Image.Length} bytes; this job expects {shape.Channels}x{shape.Height}x{shape.Width} = {_imageSize} bytes."));
            return;
        }

        if (_scheduler!.Enqueue(new PendingRequest(Sender, predict.RequestId, predict.Image), nowMs) == EnqueueResult.RejectedQueueFull)
        {
            Sender.Tell(Answer(predict.RequestId, PredictionStatus.Rejected, 0,
                $"queue full ({Settings.QueueLimit} requests waiting); retry later."));
            return;
        }

        Apply(_scheduler.Poll(nowMs), nowMs);
    }

    private void OnWakeUp()
    {
        if (_scheduler is null)
        {
            return;
        }

        var nowMs = NowMs();
        if (_wakeAtMs is { } dueMs && nowMs >= dueMs)
        {
            _statistics.RecordWakeUpLag(nowMs - dueMs);
            _wakeUpLags.Observe(nowMs - dueMs);
            _wakeAtMs = null;
        }

        Apply(_scheduler.Poll(nowMs), nowMs);
    }

    /// <summary>
    /// Measures the wake-up lag between batches too. Greedy stops waiting when the lag is large, so its own
    /// wake-ups alone would stop updating the estimate exactly when the machine might have become quiet again.
    /// </summary>
    private void OnLagProbe()
    {
        var lagMs = NowMs() - _lagProbeDueMs;
        _statistics.RecordWakeUpLag(lagMs);
        _wakeUpLags.Observe(lagMs);
        ArmLagProbe();
    }

    private void ArmLagProbe()
    {
        _lagProbeDueMs = NowMs() + LagProbeIntervalMs;
        _lagProbe!.Arm(LagProbeIntervalMs);
    }

    /// <summary>Carries out a scheduler step: overdue answers, then the batch, then the next wake-up.</summary>
    private void Apply(SchedulerStep<PendingRequest> step, double nowMs)
    {
        foreach (var overdue in step.Rejected)
        {
            Reply(overdue.Request.Request, PredictionStatus.Overdue, overdue.LatencyMs, OverdueReason(overdue.LatencyMs));
        }

        if (step.Batch is { } batch)
        {
            Dispatch(batch);
        }

        if (step.WakeAtMs is { } wakeAtMs)
        {
            _wakeAtMs = wakeAtMs;
            _wakeUp!.Arm(wakeAtMs - nowMs);
        }
        else if (_wakeAtMs is not null)
        {
            _wakeAtMs = null;
            _wakeUp!.Cancel();
        }
    }

    /// <summary>Returns the error text of an overdue reply to a request that waited <paramref name="waitedMs"/>.</summary>
    private string OverdueReason(double waitedMs)
    {
        if (Settings.OverdueAction == OverdueAction.Reject)
        {
            return $"overdue: the request waited {waitedMs:F1} ms and could no longer be answered within the "
                + $"{Settings.TauMs} ms latency target.";
        }

        var maxLateMs = _scheduler!.Policy.Options.LateLimitMs;
        return $"overdue: the request waited {waitedMs:F1} ms, and its answer would have come {maxLateMs} ms "
            + $"(maxLateMs) or more after the {Settings.TauMs} ms latency target.";
    }

    private void Dispatch(InFlightBatch<PendingRequest> batch)
    {
        var pixels = new byte[batch.Size * _imageSize];
        for (var i = 0; i < batch.Size; i++)
        {
            batch.Requests[i].Request.Image.CopyTo(pixels, i * _imageSize);
        }

        _running = new EnsembleBatch(batch.Id, _models.Length);
        _statistics.RecordBatch(batch.Size);
        var run = new RunBatch(batch.Id, pixels, batch.Size);
        foreach (var slot in _models)
        {
            slot.Actor!.Tell(run);
        }

        Timers.StartSingleTimer(BatchTimeoutKey, new BatchTimedOut(batch.Id), TimeSpan.FromMilliseconds(Settings.BatchTimeoutMs));
    }

    private void OnBatchDone(BatchDone done)
    {
        if (_running is not { } running || running.BatchId != done.BatchId || done.Index < 0 || done.Index >= _models.Length)
        {
            // The batch already failed or timed out; its requests have their answers.
            return;
        }

        _models[done.Index].RecordForwardPass(done.ElapsedMs);
        var expected = _scheduler!.RunningBatch!.Size * _classCount;
        if (done.Probabilities.Length != expected)
        {
            FailRunningBatch($"model of trial {TrialOf(done.Index)} returned {done.Probabilities.Length} probabilities "
                + $"for {_scheduler.RunningBatch.Size} images of {_classCount} classes.");
            return;
        }

        if (!running.Add(done.Index, done.Probabilities))
        {
            return;
        }

        var nowMs = NowMs();
        Timers.Cancel(BatchTimeoutKey);
        var probabilities = running.Average();
        _running = null;
        var completed = _scheduler.Complete(done.BatchId, nowMs);
        _typicalLatency!.Observe(completed.Feedback.BatchSize, completed.Feedback.LatencyMs);

        // The next batch goes out before the replies, so the model works while this actor replies to the callers.
        // The replies are sent even if that step throws, because the scheduler no longer contains these requests and
        // a router that stops replies only to the requests its scheduler contains.
        try
        {
            Apply(_scheduler.Poll(nowMs), nowMs);
        }
        finally
        {
            ReplyToCompleted(completed.Requests, probabilities);
        }
    }

    private void ReplyToCompleted(IReadOnlyList<FinishedRequest<PendingRequest>> requests, float[] probabilities)
    {
        var classNames = _job.Models[0].ClassNames;
        for (var i = 0; i < requests.Count; i++)
        {
            var finished = requests[i];
            var row = probabilities.AsSpan(i * _classCount, _classCount).ToArray();
            var label = Array.IndexOf(row, row.Max());
            _statistics.RecordAnswer(finished.LatencyMs);
            var request = finished.Request.Request;
            request.Sender.Tell(new PredictionResult(_job.JobId, request.RequestId, PredictionStatus.Ok, label, classNames[label], row,
                finished.LatencyMs, Late: finished.Outcome == RequestOutcome.OverdueServedLate));
        }
    }

    private void FailRunningBatch(string reason)
    {
        var nowMs = NowMs();
        Timers.Cancel(BatchTimeoutKey);
        var batchId = _running!.BatchId;
        _running = null;
        _statistics.RecordFailedBatch();
        var failed = _scheduler!.Fail(batchId, nowMs);

        // Logged at powers of two, so a model that fails every batch does not flood the log.
        if (BitOperations.IsPow2(_statistics.FailedBatches))
        {
            _log.Warning("Inference job {JobId} batch {BatchId} of {Count} requests failed ({FailedBatches} failed batches so far): {Reason}",
                _job.JobId, batchId, failed.Count, _statistics.FailedBatches, reason);
        }

        foreach (var request in failed)
        {
            Reply(request.Request.Request, PredictionStatus.Failed, request.LatencyMs, reason);
        }

        Apply(_scheduler.Poll(nowMs), nowMs);
    }

    private void OnModelTerminated(Terminated terminated)
    {
        var slot = _models.FirstOrDefault(model => terminated.ActorRef.Equals(model.Actor));
        var trial = slot?.Model.TrialId ?? "?";
        _log.Error("Inference job {JobId} lost the model of trial {TrialId} at {Path}; the job ends",
            _job.JobId, trial, terminated.ActorRef.Path);

        // NOTE: the job does not move a lost model to another worker. A model actor stops when its node leaves or
        // when sharding rebalances its shard onto a new worker, and the job must then be deployed again.
        End($"the model of trial {trial} stopped (its node left, or it crashed), so inference job '{_job.JobId}' ended; deploy it again.");
    }
}
