using Akka.Actor;
using Akka.Event;
using Rafiki.Storage.Checkpoints;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference;

/// <summary>
/// Starts, finds and stops the inference jobs of a node. Each job is a <see cref="RouterActor"/> child; messages for
/// a job are forwarded to it.
/// </summary>
public sealed class InferenceJobsActor : ReceiveActor
{
    private readonly IParameterStore _checkpoints;
    private readonly Dictionary<string, IActorRef> _jobs = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _incarnation;

    public InferenceJobsActor(IParameterStore checkpoints)
    {
        _checkpoints = checkpoints;
        Receive<DeployInferenceJob>(Deploy);
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
                _jobs.Remove(message.JobId);
            }

            router.Forward(message);
        });
    }

    /// <summary>Props for a node's job manager.</summary>
    public static Props Props(IParameterStore checkpoints) => Akka.Actor.Props.Create(() => new InferenceJobsActor(checkpoints));

    private void Deploy(DeployInferenceJob deploy)
    {
        var problems = deploy.Settings.Validate().ToList();
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

        _log.Info("Deploying inference job {JobId} with trials {TrialIds}", deploy.JobId, string.Join(", ", deploy.Models.Select(m => m.TrialId)));
        // A numbered child name lets a job id be reused while the router of a stopped job is still shutting down.
        var router = Context.ActorOf(RouterActor.Props(deploy, _checkpoints), $"{Uri.EscapeDataString(deploy.JobId)}-{++_incarnation}");
        Context.Watch(router);
        _jobs[deploy.JobId] = router;
        router.Forward(deploy);
    }
}
