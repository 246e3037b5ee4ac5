using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Akka.Actor;
using Rafiki.Models;
using Rafiki.Storage.Checkpoints;
using Rafiki.Training.Studies;

namespace Rafiki.Training.Trials;

/// <summary>
/// Trains one trial on a dedicated thread, never on an actor dispatcher thread. After each epoch it saves a
/// checkpoint, tells its trial actor, and blocks until the actor passes on the study master's decision.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The token source has no timer or linked token, so it holds nothing to dispose.")]
internal sealed class TrialRunner
{
    private readonly string _trialId;
    private readonly TrialAssignment _assignment;
    private readonly ResumePoint? _resumeFrom;
    private readonly string _device;
    private readonly TrainingServices _services;
    private readonly IActorRef _trialActor;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Lock _decisionLock = new();
    private TaskCompletionSource<bool>? _pendingDecision;
    private int _pendingEpoch;

    public TrialRunner(
        string trialId, TrialAssignment assignment, ResumePoint? resumeFrom, string device, TrainingServices services, IActorRef trialActor)
    {
        _trialId = trialId;
        _assignment = assignment;
        _resumeFrom = resumeFrom;
        _device = device;
        _services = services;
        _trialActor = trialActor;
    }

    /// <summary>Sent to the trial actor when an epoch is trained, evaluated and checkpointed.</summary>
    public sealed record EpochTrained(EpochReport Report);

    /// <summary>Sent to the trial actor at most once per progress interval during an epoch.</summary>
    public sealed record EpochProgressed(int Epoch, double Fraction);

    /// <summary>Sent to the trial actor when the thread ends: normally, cancelled, or with an error.</summary>
    public sealed record RunnerEnded(Exception? Error, bool Cancelled);

    /// <summary>Starts the training thread.</summary>
    public void Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = $"trial {_trialId}" };
        TrainingThreads.Started();
        thread.Start();
    }

    /// <summary>Makes the thread stop at the next batch or while waiting for a decision.</summary>
    public void Cancel() => _cancellation.Cancel();

    /// <summary>Passes the study master's decision for <paramref name="epoch"/> to the waiting thread; ignores stale ones.</summary>
    public bool Decide(int epoch, bool proceed)
    {
        lock (_decisionLock)
        {
            if (_pendingDecision is null || epoch != _pendingEpoch)
            {
                return false;
            }

            _pendingDecision.TrySetResult(proceed);
            _pendingDecision = null;
            return true;
        }
    }

    private void Run()
    {
        try
        {
            Train(_cancellation.Token);
            _trialActor.Tell(new RunnerEnded(null, Cancelled: false));
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            _trialActor.Tell(new RunnerEnded(null, Cancelled: true));
        }
        catch (Exception e)
        {
            _trialActor.Tell(new RunnerEnded(e, Cancelled: false));
        }
        finally
        {
            TrainingThreads.Ended();
        }
    }

    private void Train(CancellationToken cancellationToken)
    {
        var train = _services.Datasets.LoadImages(_assignment.TrainDatasetId);
        var validation = _services.Datasets.LoadImages(_assignment.ValidationDatasetId);
        var family = ModelZoo.Get(_assignment.Family);
        var spec = new ModelSpec(
            _assignment.Knobs, new ImageShape(train.Channels, train.Height, train.Width), train.ClassNames.Count, _assignment.Seed, _device);
        using var model = family.Create(spec);

        var firstEpoch = 1;
        WarmStartLoad? warmStartLoad = null;
        if (_resumeFrom is null && _assignment.WarmStartCheckpointId is { } warmStart)
        {
            var parameters = _services.Checkpoints.LoadAsync(warmStart, cancellationToken).GetAwaiter().GetResult()
                             ?? throw new InvalidOperationException(
                                 $"checkpoint '{warmStart}' to warm-start trial {_trialId} from is missing from the parameter store.");
            var loaded = model.LoadParameters(parameters, strict: false);
            warmStartLoad = new WarmStartLoad(loaded.Loaded, loaded.Skipped);
        }

        if (_resumeFrom is { } resume)
        {
            var parameters = _services.Checkpoints.LoadAsync(resume.CheckpointId, cancellationToken).GetAwaiter().GetResult()
                             ?? throw new InvalidOperationException(
                                 $"checkpoint '{resume.CheckpointId}' to resume trial {_trialId} from is missing from the parameter store.");
            model.LoadParameters(parameters, strict: true);
            firstEpoch = resume.Epoch + 1;
        }

        for (var epoch = firstEpoch; epoch <= _assignment.MaxEpochs; epoch++)
        {
            var stopwatch = Stopwatch.StartNew();
            var progress = new ThrottledProgress(epoch, _services.ProgressInterval, _trialActor);
            var trained = model.TrainEpoch(train, epoch, progress, cancellationToken);
            var evaluation = model.Evaluate(validation, cancellationToken);
            var checkpointId = CheckpointIds.ForEpoch(_trialId, epoch);
            _services.Checkpoints.SaveAsync(checkpointId, model.SaveParameters(), cancellationToken).GetAwaiter().GetResult();

            var report = new EpochReport(
                epoch, trained.Loss, trained.Accuracy, evaluation.Accuracy, evaluation.Loss, checkpointId, stopwatch.Elapsed.TotalSeconds,
                epoch == 1 ? warmStartLoad : null);
            if (epoch == _assignment.MaxEpochs)
            {
                // Nothing follows the last epoch, so free the device slot now instead of after the master's answer.
                _trialActor.Tell(new EpochTrained(report));
                return;
            }

            if (!ReportAndAwaitDecision(report, cancellationToken))
            {
                return;
            }
        }
    }

    private bool ReportAndAwaitDecision(EpochReport report, CancellationToken cancellationToken)
    {
        var decision = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_decisionLock)
        {
            _pendingDecision = decision;
            _pendingEpoch = report.Epoch;
        }

        _trialActor.Tell(new EpochTrained(report));
        decision.Task.Wait(cancellationToken);
        return decision.Task.Result;
    }

    private sealed class ThrottledProgress(int epoch, TimeSpan interval, IActorRef target) : IProgress<double>
    {
        private long _lastReport = Stopwatch.GetTimestamp();

        public void Report(double value)
        {
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(_lastReport, now) >= interval || value >= 1)
            {
                _lastReport = now;
                target.Tell(new EpochProgressed(epoch, value));
            }
        }
    }
}
