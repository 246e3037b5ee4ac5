using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rafiki.Api.Auth;
using Rafiki.Api.Data;
using Rafiki.Api.Node;
using Rafiki.Api.Problems;
using Rafiki.Client.Contracts;
using Rafiki.Core;
using Rafiki.Inference;
using Rafiki.Models;
using Rafiki.Training.Studies;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Api.Endpoints;

/// <summary>Inference jobs: trials of a train job served by an inference-job router on this node.</summary>
public static class InferenceJobEndpoints
{
    private const int MaxEnsemble = 16;

    /// <summary>Maps <c>/inference-jobs</c> except predictions.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/inference-jobs");
        group.MapPost("", CreateAsync).RequireAuthorization(Policies.Deploy)
            .Accepts<CreateInferenceJobRequest>("application/json").Produces<InferenceJobView>(201)
            .ProducesProblem(400).ProducesProblem(409).WithSummary("Deploy trials of a train job");
        group.MapGet("", ListAsync).RequireAuthorization(Policies.Predict)
            .Produces<List<InferenceJobView>>().WithSummary("List the caller's inference jobs");
        group.MapGet("/{id}", async (
                string id, ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, ApiOptions options, CancellationToken cancellationToken) =>
                await ViewAsync(FindOwned(id, user, jobs), jobs, gateway, options, cancellationToken))
            .RequireAuthorization(Policies.Predict).Produces<InferenceJobView>().ProducesProblem(404)
            .WithSummary("Get an inference job with live statistics");
        group.MapPost("/{id}/stop", StopAsync).RequireAuthorization(Policies.Deploy)
            .Produces<InferenceJobView>().ProducesProblem(404).WithSummary("Stop an inference job");
    }

    /// <summary>Returns an inference job the caller may use.</summary>
    /// <exception cref="ApiProblemException">404 when it does not exist or belongs to another user.</exception>
    public static InferenceJobRecord FindOwned(string id, ClaimsPrincipal user, JobStore jobs)
    {
        var job = jobs.FindInferenceJob(id);
        return job is not null && user.MayAccess(job.OwnerId)
            ? job
            : throw ApiProblemException.NotFound("inference job", id, "list your inference jobs with GET /inference-jobs.");
    }

    /// <summary>Returns a job that is running, marking it stopped if the node no longer serves it.</summary>
    /// <exception cref="ApiProblemException">409 when the job is stopped.</exception>
    public static async Task<InferenceJobRecord> RequireRunningAsync(
        InferenceJobRecord job, JobStore jobs, NodeGateway gateway, ApiOptions options, CancellationToken cancellationToken)
    {
        if (job.StoppedAt is null && await gateway.GetInferenceJobAsync(job.Id, cancellationToken) is null)
        {
            job = jobs.MarkStopped(job, options.Clock.GetUtcNow());
        }

        return job.StoppedAt is null
            ? job
            : throw ApiProblemException.Conflict($"inference job '{job.Id}' stopped at {job.StoppedAt:O}; deploy a new inference job.");
    }

    /// <summary>Throws a 409 when the API recorded that the job stopped; a job the node lost is detected when a prediction fails.</summary>
    public static void RequireNotStopped(InferenceJobRecord job)
    {
        if (job.StoppedAt is not null)
        {
            throw ApiProblemException.Conflict($"inference job '{job.Id}' stopped at {job.StoppedAt:O}; deploy a new inference job.");
        }
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, JobStore jobs, NodeGateway gateway, ApiOptions options, ILogger<JobStore> logger)
    {
        var request = await JsonBody.ReadAsync<CreateInferenceJobRequest>(context.Request, context.RequestAborted);
        if (string.IsNullOrWhiteSpace(request.TrainJobId))
        {
            throw ApiProblemException.Invalid("trainJobId", "missing; pass the id of one of your train jobs.");
        }

        // Settings first: a malformed body is a 400 whatever the train job.
        var settings = InferenceJobViews.ToSettings(request.Settings);
        var (trainJob, study) = await TrainJobEndpoints.FindAsync(
            request.TrainJobId, context.User, jobs, gateway, context.RequestAborted, field: "trainJobId");
        var trials = SelectTrials(request, study);
        var dataset = gateway.Node.Datasets.Find(study.Spec.TrainDatasetId)
            ?? throw ApiProblemException.Conflict(
                $"the train dataset '{study.Spec.TrainDatasetId}' of train job '{trainJob.Id}' was deleted, so the input shape is unknown.");
        var shape = new ImageShape(dataset.Channels, dataset.Height, dataset.Width);
        var models = trials.Select(trial =>
            new DeployedModel(trial.Id, trial.Model, trial.Knobs, trial.BestCheckpointId!, shape, dataset.ClassNames));
        var jobId = Ids.New("infer");
        var answer = await gateway.DeployAsync(new DeployInferenceJob(jobId, study.StudyId, [.. models], settings), context.RequestAborted);
        if (answer is InferenceJobFailed failed)
        {
            throw new ApiProblemException(500, "Deployment failed", $"inference job could not start: {failed.Reason}");
        }

        var description = new InferenceJobDescription(
            [.. trials.Select(trial => trial.Id)],
            InferenceJobViews.ToView(settings),
            dataset.Channels, dataset.Height, dataset.Width, dataset.ClassNames);
        var job = new InferenceJobRecord(jobId, context.User.UserId(), trainJob.Id, description, options.Clock.GetUtcNow(), null);
        jobs.AddInferenceJob(job);
        logger.LogInformation("Inference job {JobId} deployed by {UserId} with trials {TrialIds}",
            jobId, job.OwnerId, string.Join(", ", description.TrialIds));
        return Results.Created($"/inference-jobs/{jobId}", await ViewAsync(job, jobs, gateway, options, context.RequestAborted));
    }

    private static List<TrialStatus> SelectTrials(CreateInferenceJobRequest request, StudyStatus study)
    {
        var deployable = TrainJobViews.Deployable(study).ToList();
        if (request.TrialIds is { } ids)
        {
            if (request.BestK is not null)
            {
                throw ApiProblemException.Invalid("bestK", "given together with trialIds; send one of them.");
            }

            var validation = new Validation();
            if (ids.Count is 0 or > MaxEnsemble)
            {
                validation.Add("trialIds", $"has {ids.Count} trials; give 1 to {MaxEnsemble}.");
            }

            var selected = new List<TrialStatus>();
            for (var i = 0; i < ids.Count; i++)
            {
                var trial = study.Trials.FirstOrDefault(trial => trial.Id == ids[i]);
                if (trial is null)
                {
                    validation.Add($"trialIds[{i}]",
                        $"'{ids[i]}' is not a trial of train job '{study.StudyId}'; list them with GET /train-jobs/{study.StudyId}/trials.");
                }
                else if (trial.BestCheckpointId is null)
                {
                    validation.Add($"trialIds[{i}]", $"trial '{ids[i]}' has no checkpoint yet; wait until it finishes an epoch.");
                }
                else if (selected.Contains(trial))
                {
                    validation.Add($"trialIds[{i}]", $"trial '{ids[i]}' is listed twice; list each trial once.");
                }
                else
                {
                    selected.Add(trial);
                }
            }

            validation.ThrowIfInvalid();
            return selected;
        }

        var count = request.BestK ?? 1;
        if (count is < 1 or > MaxEnsemble)
        {
            throw ApiProblemException.Invalid("bestK", $"{count} is invalid; use 1 to {MaxEnsemble}.");
        }

        if (deployable.Count == 0)
        {
            throw ApiProblemException.Conflict(
                $"train job '{study.StudyId}' has no trial with a checkpoint yet; wait until a trial finishes an epoch.");
        }

        if (count > deployable.Count)
        {
            throw ApiProblemException.Invalid(
                "bestK", $"{count} is more than the {deployable.Count} trials with a checkpoint; use {deployable.Count} or fewer.");
        }

        return deployable.Take(count).ToList();
    }

    private static async Task<List<InferenceJobView>> ListAsync(
        ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, ApiOptions options, CancellationToken cancellationToken)
    {
        var views = new List<InferenceJobView>();
        foreach (var job in jobs.ListInferenceJobs(user.IsAdmin() ? null : user.UserId()))
        {
            views.Add(await ViewAsync(job, jobs, gateway, options, cancellationToken));
        }

        return views;
    }

    private static async Task<InferenceJobView> StopAsync(
        string id, ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, ApiOptions options, ILogger<JobStore> logger,
        CancellationToken cancellationToken)
    {
        var job = FindOwned(id, user, jobs);
        await gateway.StopInferenceJobAsync(id, cancellationToken);
        job = jobs.MarkStopped(job, options.Clock.GetUtcNow());
        logger.LogInformation("Inference job {JobId} stopped by {UserId}", id, user.UserId());
        return await ViewAsync(job, jobs, gateway, options, cancellationToken);
    }

    private static async Task<InferenceJobView> ViewAsync(
        InferenceJobRecord job, JobStore jobs, NodeGateway gateway, ApiOptions options, CancellationToken cancellationToken)
    {
        InferenceJobStatistics? statistics = null;
        if (job.StoppedAt is null)
        {
            if (await gateway.GetInferenceJobAsync(job.Id, cancellationToken) is { } status)
            {
                statistics = InferenceJobViews.ToStatistics(status, gateway.Node.System);
            }
            else
            {
                // The node no longer serves the job, for example after a restart: record that it stopped.
                job = jobs.MarkStopped(job, options.Clock.GetUtcNow());
            }
        }

        var description = job.Description;
        return new InferenceJobView(
            job.Id, job.TrainJobId, description.TrialIds, job.StoppedAt is null ? "running" : "stopped", description.Settings,
            description.Channels, description.Height, description.Width, description.ClassNames, job.OwnerId, job.CreatedAt,
            job.StoppedAt, statistics);
    }
}
