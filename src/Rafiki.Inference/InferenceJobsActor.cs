using Akka.Actor;
using Akka.Event;
using Rafiki.Storage.Checkpoints;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Inference;

/// <summary>
/// Starts, finds and stops the inference jobs of a node. Each job is a <see cref="RouterActor"/> child named after
/// the job id; messages for a job are forwarded to it.
/// </summary>
public sealed class InferenceJobsActor : ReceiveActor
{
    private readonly IParameterStore _checkpoints;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public InferenceJobsActor(IParameterStore checkpoints)
    {
        _checkpoints = checkpoints;
        Receive<DeployInferenceJob>(Deploy);
        Receive<IWithInferenceJobId>(message =>
        {
            var router = Context.Child(message.JobId);
            if (router.IsNobody())
            {
                Sender.Tell(message is Predict predict
                    ? new PredictionResult(message.JobId, predict.RequestId, PredictionStatus.Failed, -1, null, [], 0,
                        $"inference job '{message.JobId}' not found; deploy it first or check the id.")
                    : new InferenceJobNotFound(message.JobId));
                return;
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

        if (!Context.Child(deploy.JobId).IsNobody())
        {
            problems.Add($"jobId: '{deploy.JobId}' is already deployed; stop it or use another id.");
        }

        if (problems.Count > 0)
        {
            Sender.Tell(new InferenceJobFailed(deploy.JobId, string.Join(" ", problems)));
            return;
        }

        _log.Info("Deploying inference job {JobId} with trials {TrialIds}", deploy.JobId, string.Join(", ", deploy.Models.Select(m => m.TrialId)));
        Context.ActorOf(RouterActor.Props(deploy, _checkpoints), deploy.JobId).Forward(deploy);
    }
}
