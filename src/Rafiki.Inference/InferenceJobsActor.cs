using Akka.Actor;
using Akka.Event;
using Rafiki.Storage.Checkpoints;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference;

/// <summary>
/// Starts, lists, finds and stops the inference jobs of a node. Each job is a <see cref="RouterActor"/> child that
/// lives on this node; its model actors start through the model host, which is the cluster's "model" shard region
/// (so they run on worker nodes) or a local <see cref="ModelHostActor"/> child. Messages for a job are forwarded to
/// its router.
/// </summary>
public sealed class InferenceJobsActor : ReceiveActor
{
    /// <summary>Time a listing waits for each router's status.</summary>
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, IActorRef> _jobs = new(StringComparer.Ordinal);
    private readonly IParameterStore? _checkpoints;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _modelHost;
    private long _incarnation;

    /// <param name="modelHost">The "model" shard region (or its proxy); null to host model actors locally.</param>
    /// <param name="checkpoints">Store the local model host loads from; used only when <paramref name="modelHost"/> is null.</param>
    public InferenceJobsActor(IActorRef? modelHost, IParameterStore? checkpoints)
    {
        if (modelHost is null && checkpoints is null)
        {
            throw new ArgumentException("Pass the model shard region, or a parameter store to host model actors locally.");
        }

        _modelHost = modelHost ?? ActorRefs.Nobody;
        _checkpoints = checkpoints;
        Receive<DeployInferenceJob>(Deploy);
        Receive<ListInferenceJobs>(_ => List());
        Receive<RouterActor.JobEnded>(ended =>
        {
            if (_jobs.TryGetValue(ended.JobId, out var router) && router.Equals(Sender))
            {
                _jobs.Remove(ended.JobId);
            }

            _log.Warning("Inference job {JobId} ended: {Reason}", ended.JobId, ended.Reason);

            // A PoisonPill, unlike a stop, lets the router answer the requests forwarded to it before this point.
            Sender.Tell(PoisonPill.Instance);
        });
        Receive<Terminated>(terminated =>
        {
            foreach (var jobId in _jobs.Where(pair => pair.Value.Equals(terminated.ActorRef)).Select(pair => pair.Key).ToList())
            {
                _jobs.Remove(jobId);
            }
        });
        Receive<IWithInferenceJobId>(message =>
        {
            if (!_jobs.TryGetValue(message.JobId, out var router))
            {
                Sender.Tell(message is Predict predict
                    ? new PredictionResult(message.JobId, predict.RequestId, PredictionStatus.Failed, -1, null, [], 0,
                        $"inference job '{message.JobId}' not found; deploy it first or check the id.")
                    : new InferenceJobNotFound(message.JobId));
                return;
            }

            if (message is StopInferenceJob)
            {
                // Forget the job at once, so no request reaches a router that is stopping.
                _log.Info("Stopping inference job {JobId}", message.JobId);
                _jobs.Remove(message.JobId);
            }

            router.Forward(message);
        });
    }

    /// <summary>Props for a node whose model actors run on worker nodes, started through the "model" shard region.</summary>
    public static Props Props(IActorRef modelRegion) =>
        Akka.Actor.Props.Create(() => new InferenceJobsActor(modelRegion, null));

    /// <summary>Props for a process without a cluster: model actors run here and load from <paramref name="checkpoints"/>.</summary>
    public static Props Props(IParameterStore checkpoints) =>
        Akka.Actor.Props.Create(() => new InferenceJobsActor(null, checkpoints));

    protected override void PreStart()
    {
        if (_checkpoints is not null)
        {
            _modelHost = Context.ActorOf(ModelHostActor.Props(_checkpoints), "models");
        }
    }

    /// <summary>
    /// A router that throws stops instead of restarting: its stop answers every request it holds, and a restart
    /// would deploy the job's models again without anyone waiting for the result.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(error =>
        {
            _log.Error(error, "An inference router failed and stops");
            return Directive.Stop;
        });

    private void Deploy(DeployInferenceJob deploy)
    {
        var problems = deploy.Settings.Validate().ToList();
        if (string.IsNullOrWhiteSpace(deploy.JobId))
        {
            problems.Add("jobId: empty; give the job an id.");
        }

        if (deploy.Models.IsDefaultOrEmpty)
        {
            problems.Add("models: empty; deploy at least one trial.");
        }
        else if (deploy.Models.Select(m => (m.Input, m.ClassNames.Count)).Distinct().Count() > 1)
        {
            problems.Add("models: the trials differ in input shape or classes; an ensemble needs models of one dataset.");
        }

        if (_jobs.ContainsKey(deploy.JobId))
        {
            problems.Add($"jobId: '{deploy.JobId}' is already deployed; stop it or use another id.");
        }

        if (problems.Count > 0)
        {
            Sender.Tell(new InferenceJobFailed(deploy.JobId, string.Join(" ", problems)));
            return;
        }

        // A numbered child name lets a job id be reused while the router of a stopped job is still shutting down.
        var router = Context.ActorOf(
            RouterActor.Props(deploy, _modelHost, Sender), $"{Uri.EscapeDataString(deploy.JobId)}-{++_incarnation}");
        Context.Watch(router);
        _jobs[deploy.JobId] = router;
    }

    private void List()
    {
        var sender = Sender;
        var asks = _jobs.Select(pair => AskStatus(pair.Key, pair.Value)).ToList();
        Task.WhenAll(asks).PipeTo(sender, success: statuses => new InferenceJobList(
            [.. statuses.OfType<InferenceJobStatus>().OrderBy(status => status.JobId, StringComparer.Ordinal)]));
    }

    /// <summary>Returns a router's status, or null when it stopped before answering.</summary>
    private static async Task<InferenceJobStatus?> AskStatus(string jobId, IActorRef router)
    {
        try
        {
            return await router.Ask<InferenceJobStatus>(new GetInferenceJob(jobId), StatusTimeout);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
