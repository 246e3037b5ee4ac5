using Akka.Actor;
using Rafiki.Api.Problems;
using Rafiki.Hosting;
using Rafiki.Training.Studies;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Api.Node;

/// <summary>
/// The API's requests to the node's actors, each with a timeout. An actor that does not reply in time ends the
/// request with 504, naming what timed out.
/// </summary>
public sealed class NodeGateway(RafikiNode node, ApiOptions options)
{
    /// <summary>The node the API runs in.</summary>
    public RafikiNode Node => node;

    /// <summary>Submits a study; returns <see cref="StudyProtocol.StudyAccepted"/> or <see cref="StudyProtocol.StudyRejected"/>.</summary>
    public Task<object> SubmitStudyAsync(string studyId, StudySpec spec, CancellationToken cancellationToken) =>
        AskAsync<object>(
            node.StudyRegistry, new StudyRegistryProtocol.SubmitStudy(studyId, spec), options.AskTimeout, "the study registry", cancellationToken);

    /// <summary>Returns a study's status, or null if no study has the id.</summary>
    public async Task<StudyStatus?> GetStudyAsync(string studyId, CancellationToken cancellationToken) =>
        await AskAsync<object>(
            node.Studies, new StudyProtocol.GetStudy(studyId), options.AskTimeout, $"study {studyId}", cancellationToken) as StudyStatus;

    /// <summary>Stops a study and returns its status, or null if no study has the id.</summary>
    public async Task<StudyStatus?> StopStudyAsync(string studyId, CancellationToken cancellationToken) =>
        await AskAsync<object>(
            node.Studies, new StudyProtocol.StopStudy(studyId), options.AskTimeout, $"study {studyId}", cancellationToken) as StudyStatus;

    /// <summary>Returns every registered study.</summary>
    public async Task<IReadOnlyList<StudyRegistryProtocol.StudyEntry>> ListStudiesAsync(CancellationToken cancellationToken) =>
        (await AskAsync<StudyRegistryProtocol.StudyList>(
            node.StudyRegistry, StudyRegistryProtocol.ListStudies.Instance, options.AskTimeout, "the study registry", cancellationToken)).Studies;

    /// <summary>Deploys an inference job; returns <see cref="InferenceJobDeployed"/> or <see cref="InferenceJobFailed"/>.</summary>
    public Task<object> DeployAsync(DeployInferenceJob deploy, CancellationToken cancellationToken) =>
        AskAsync<object>(node.InferenceJobs, deploy, options.DeployTimeout, $"deploying inference job {deploy.JobId}", cancellationToken);

    /// <summary>Returns an inference job's live status, or null if it is not running on this node.</summary>
    public async Task<InferenceJobStatus?> GetInferenceJobAsync(string jobId, CancellationToken cancellationToken) =>
        await AskAsync<object>(node.InferenceJobs, new GetInferenceJob(jobId), options.AskTimeout, $"inference job {jobId}", cancellationToken)
            as InferenceJobStatus;

    /// <summary>Stops an inference job; returns false if it was not running.</summary>
    public async Task<bool> StopInferenceJobAsync(string jobId, CancellationToken cancellationToken) =>
        await AskAsync<object>(node.InferenceJobs, new StopInferenceJob(jobId), options.AskTimeout, $"inference job {jobId}", cancellationToken)
            is InferenceJobStopped;

    /// <summary>Sends one image to an inference job.</summary>
    public Task<PredictionResult> PredictAsync(string jobId, string requestId, byte[] image, CancellationToken cancellationToken) =>
        AskAsync<PredictionResult>(
            node.InferenceJobs, new Predict(jobId, requestId, image), options.PredictTimeout, $"inference job {jobId}", cancellationToken);

    private static async Task<T> AskAsync<T>(
        IActorRef actor, object message, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await actor.Ask<T>(message, timeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            throw new ApiProblemException(
                504, "Gateway timeout", $"{what} did not reply within {timeout.TotalSeconds:0.#} s; retry later.");
        }
    }
}
