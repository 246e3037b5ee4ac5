using System.Collections.Immutable;
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
using Rafiki.Models;
using Rafiki.Storage.Datasets;
using Rafiki.Training.Studies;
using Rafiki.Tuning.Advisors;
using Rafiki.Tuning.CoStudy;
using Rafiki.Tuning.EarlyStopping;

namespace Rafiki.Api.Endpoints;

/// <summary>Train jobs: each is a study of the study registry, owned by the user who created it.</summary>
public static class TrainJobEndpoints
{
    private const int MaxBudget = 10_000;
    private const int MaxBestCount = 100;

    /// <summary>Maps <c>/train-jobs</c> and <c>/models</c>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/models", () => ModelZoo.Families
                .Select(family => new ModelFamilyView(
                    family.Name, ApiNames.Of(family.Task), family.Description, [.. family.KnobSpace.Knobs.Select(knob => knob.Name)]))
                .ToList())
            .RequireAuthorization(Policies.AnyUser).WithSummary("List the built-in model families");

        var group = app.MapGroup("/train-jobs").RequireAuthorization(Policies.Develop);
        group.MapPost("", CreateAsync)
            .Accepts<CreateTrainJobRequest>("application/json").Produces<TrainJobView>(201).ProducesProblem(400)
            .WithSummary("Create a train job");
        group.MapGet("", ListAsync).Produces<List<TrainJobSummary>>().WithSummary("List the caller's train jobs");
        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, CancellationToken cancellationToken) =>
            {
                var (job, status) = await FindAsync(id, user, jobs, gateway, cancellationToken);
                return TrainJobViews.Of(job, status);
            })
            .Produces<TrainJobView>().ProducesProblem(404).WithSummary("Get a train job with its trials");
        group.MapPost("/{id}/stop", StopAsync).Produces<TrainJobView>().ProducesProblem(404).WithSummary("Stop a train job");
        group.MapGet("/{id}/trials", async (
                string id, ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, CancellationToken cancellationToken) =>
            {
                var (_, status) = await FindAsync(id, user, jobs, gateway, cancellationToken);
                return status.Trials.Select(TrainJobViews.Of).ToList();
            })
            .Produces<List<TrialView>>().ProducesProblem(404).WithSummary("List the trials of a train job");
        group.MapGet("/{id}/trials/best", BestAsync)
            .Produces<List<TrialView>>().ProducesProblem(400).ProducesProblem(404)
            .WithSummary("The deployable trials with the best validation accuracy");
        group.MapGet("/{id}/trials/{trialId}", async (
                string id, string trialId, ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, CancellationToken cancellationToken) =>
            {
                var (_, status) = await FindAsync(id, user, jobs, gateway, cancellationToken);
                var trial = status.Trials.FirstOrDefault(trial => trial.Id == trialId)
                    ?? throw ApiProblemException.NotFound("trial", trialId, $"list the trials with GET /train-jobs/{id}/trials.");
                return TrainJobViews.Of(trial);
            })
            .Produces<TrialView>().ProducesProblem(404).WithSummary("Get one trial");
    }

    /// <summary>Returns a train job the caller may see, with its study status.</summary>
    /// <exception cref="ApiProblemException">
    /// When the job does not exist or belongs to another user: 404 for an id in the URL, 400 naming the field for an
    /// id in the body.
    /// </exception>
    public static async Task<(TrainJobRecord Job, StudyStatus Status)> FindAsync(
        string id, ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, CancellationToken cancellationToken, string? field = null)
    {
        var job = jobs.FindTrainJob(id);
        if (job is null || !user.MayAccess(job.OwnerId))
        {
            throw field is null
                ? ApiProblemException.NotFound("train job", id, "list your train jobs with GET /train-jobs.")
                : ApiProblemException.Invalid(field, $"train job '{id}' not found; list your train jobs with GET /train-jobs.");
        }

        var status = await gateway.GetStudyAsync(id, cancellationToken)
            ?? throw new ApiProblemException(500, "Internal server error", $"train job '{id}' has no study in the study registry.");
        return (job, status);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, JobStore jobs, NodeGateway gateway, ApiOptions options, ILogger<JobStore> logger)
    {
        var request = await JsonBody.ReadAsync<CreateTrainJobRequest>(context.Request, context.RequestAborted);
        var (spec, costudy) = ToSpec(request, context.User, gateway);
        var job = new TrainJobRecord(Ids.New("train"), context.User.UserId(), spec.Name, costudy, options.Clock.GetUtcNow());

        // Record the owner first, so a study never exists without one; a rejected submission removes the record.
        jobs.AddTrainJob(job);
        var answer = await gateway.SubmitStudyAsync(job.Id, spec, context.RequestAborted);
        if (answer is StudyProtocol.StudyRejected rejected)
        {
            jobs.RemoveTrainJob(job.Id);
            throw ApiProblemException.Invalid(rejected.Problems);
        }

        logger.LogInformation("Train job {TrainJobId} submitted by {UserId}: {Families}, {MaxTrials} trials of {MaxEpochs} epochs",
            job.Id, job.OwnerId, string.Join(", ", spec.ModelFamilies), spec.Budget.MaxTrials, spec.Budget.MaxEpochs);
        var status = await gateway.GetStudyAsync(job.Id, context.RequestAborted)
            ?? throw new ApiProblemException(500, "Internal server error", $"train job '{job.Id}' was accepted but its study is not found.");
        return Results.Created($"/train-jobs/{job.Id}", TrainJobViews.Of(job, status));
    }

    private static (StudySpec Spec, bool Costudy) ToSpec(CreateTrainJobRequest request, ClaimsPrincipal user, NodeGateway gateway)
    {
        var validation = new Validation();
        var name = validation.Text("name", request.Name, 100, "name the train job.");
        var task = ApiNames.Parse<TaskType>(request.Task);
        if (task is null)
        {
            var names = string.Join(", ", Enum.GetValues<TaskType>().Select(value => ApiNames.Of(value)));
            validation.Add("task", $"'{request.Task}' is unknown; use one of {names}.");
        }

        var train = ValidateDataset(validation, "trainDatasetId", request.TrainDatasetId, task, user, gateway);
        var validationSet = ValidateDataset(validation, "validationDatasetId", request.ValidationDatasetId, task, user, gateway);
        if (train is not null && validationSet is not null
            && (train.Channels, train.Height, train.Width) != (validationSet.Channels, validationSet.Height, validationSet.Width))
        {
            validation.Add("validationDatasetId",
                $"dataset '{validationSet.Id}' has {validationSet.Channels}x{validationSet.Height}x{validationSet.Width} images but the " +
                $"train dataset has {train.Channels}x{train.Height}x{train.Width}; use datasets of one image size.");
        }
        else if (train is not null && validationSet is not null && !train.ClassNames.SequenceEqual(validationSet.ClassNames))
        {
            validation.Add("validationDatasetId",
                $"dataset '{validationSet.Id}' has the classes [{string.Join(", ", validationSet.ClassNames)}] but the train dataset has " +
                $"[{string.Join(", ", train.ClassNames)}]; use datasets with the same classes.");
        }

        var families = ValidateModels(validation, request.Models, task);
        var budget = ValidateBudget(validation, request.Budget);
        var advisor = request.Advisor ?? AdvisorNames.Default;
        if (!AdvisorNames.All.Contains(advisor))
        {
            validation.Add("advisor", $"'{advisor}' is unknown; use one of {string.Join(", ", AdvisorNames.All)}.");
        }

        var earlyStopping = request.EarlyStopping ?? EarlyStoppingRules.None;
        if (!EarlyStoppingRules.All.Contains(earlyStopping))
        {
            validation.Add("earlyStopping", $"'{earlyStopping}' is unknown; use one of {string.Join(", ", EarlyStoppingRules.All)}.");
        }

        validation.ThrowIfInvalid();

        // costudy (on unless false) turns on warm starts from each family's best checkpoints with the default CoStudy
        // settings. On by default because it reached higher accuracy than plain tuning in docs/benchmarks.md.
        var costudy = request.Costudy ?? true;
        var spec = new StudySpec(
            name, task!.Value, train!.Id, validationSet!.Id, families, budget, advisor, earlyStopping, request.Seed ?? 0,
            CoStudy: costudy ? new CoStudySettings() : null, KnobNarrowings: request.Knobs);
        return (spec, costudy);
    }

    private static DatasetInfo? ValidateDataset(
        Validation validation, string field, string? id, TaskType? task, ClaimsPrincipal user, NodeGateway gateway)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            validation.Add(field, "missing; upload a dataset with POST /datasets and pass its id.");
            return null;
        }

        DatasetInfo info;
        try
        {
            info = DatasetEndpoints.FindOwned(gateway, user, id, field);
        }
        catch (ApiProblemException e)
        {
            validation.Add(field, e.Errors![field][0]);
            return null;
        }

        if (task is { } expected && info.Task != expected)
        {
            validation.Add(
                field, $"dataset '{id}' contains {ApiNames.Of(info.Task)} data, not {ApiNames.Of(expected)}; pick a dataset for the task.");
            return null;
        }

        return info;
    }

    private static ImmutableArray<string> ValidateModels(Validation validation, IReadOnlyList<string>? models, TaskType? task)
    {
        if (task is not { } known)
        {
            return [];
        }

        var forTask = ModelZoo.ForTask(known).Select(family => family.Name).ToList();
        if (forTask.Count == 0)
        {
            var supported = ModelZoo.Families.Select(family => ApiNames.Of(family.Task)).Distinct();
            validation.Add("task", $"no built-in model family solves {ApiNames.Of(known)} yet; use {string.Join(" or ", supported)}.");
            return [];
        }

        if (models is null)
        {
            return [.. forTask];
        }

        if (models.Count == 0)
        {
            validation.Add("models", $"empty; name at least one of {string.Join(", ", forTask)}, or leave models out for all of them.");
        }

        for (var i = 0; i < models.Count; i++)
        {
            if (!forTask.Contains(models[i]))
            {
                validation.Add($"models[{i}]",
                    $"'{models[i]}' is not a model family for {ApiNames.Of(known)}; use one of {string.Join(", ", forTask)}.");
            }
            else if (models.Take(i).Contains(models[i]))
            {
                validation.Add($"models[{i}]", $"'{models[i]}' is listed twice; list each family once.");
            }
        }

        return [.. models];
    }

    private static StudyBudget ValidateBudget(Validation validation, TrainJobBudget? budget)
    {
        if (budget is null)
        {
            validation.Add("budget", "missing; give at least maxTrials and maxEpochs.");
            return new StudyBudget(1, 1);
        }

        var maxTrials = validation.Required("budget.maxTrials", budget.MaxTrials, "give the number of trials to run.");
        var maxEpochs = validation.Required("budget.maxEpochs", budget.MaxEpochs, "give the epochs per trial.");
        if (budget.MaxTrials is < 1 or > MaxBudget)
        {
            validation.Add("budget.maxTrials", $"{budget.MaxTrials} is invalid; use 1 to {MaxBudget}.");
        }

        if (budget.MaxEpochs is < 1 or > MaxBudget)
        {
            validation.Add("budget.maxEpochs", $"{budget.MaxEpochs} is invalid; use 1 to {MaxBudget}.");
        }

        if (budget.DeviceSlots is < 1 or > 64)
        {
            validation.Add("budget.deviceSlots", $"{budget.DeviceSlots} is invalid; use 1 to 64, or leave it out for 1.");
        }

        if (budget.QueuedTrials is < 0 or > 64)
        {
            validation.Add("budget.queuedTrials", $"{budget.QueuedTrials} is invalid; use 0 to 64, or leave it out for 0.");
        }

        if (budget.TimeLimitSeconds is { } seconds && (seconds <= 0 || !double.IsFinite(seconds) || seconds > TimeSpan.FromDays(365).TotalSeconds))
        {
            validation.Add("budget.timeLimitSeconds", $"{seconds} is invalid; use a positive number of seconds up to a year, or leave it out.");
        }

        var timeLimit = budget.TimeLimitSeconds is { } limit && limit > 0 && double.IsFinite(limit) && limit <= TimeSpan.FromDays(365).TotalSeconds
            ? TimeSpan.FromSeconds(limit)
            : (TimeSpan?)null;
        return new StudyBudget(maxTrials, maxEpochs, budget.DeviceSlots ?? 1, timeLimit, budget.QueuedTrials ?? 0);
    }

    private static async Task<List<TrainJobSummary>> ListAsync(
        ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, CancellationToken cancellationToken)
    {
        var states = (await gateway.ListStudiesAsync(cancellationToken)).ToDictionary(entry => entry.StudyId, entry => entry.State);
        return jobs.ListTrainJobs(user.IsAdmin() ? null : user.UserId())
            .Select(job => new TrainJobSummary(
                job.Id, job.Name, states.TryGetValue(job.Id, out var state) ? ApiNames.Of(state) : "unknown", job.OwnerId, job.CreatedAt))
            .ToList();
    }

    private static async Task<TrainJobView> StopAsync(
        string id, ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, ILogger<JobStore> logger, CancellationToken cancellationToken)
    {
        var (job, _) = await FindAsync(id, user, jobs, gateway, cancellationToken);
        var status = await gateway.StopStudyAsync(id, cancellationToken)
            ?? throw new ApiProblemException(500, "Internal server error", $"train job '{id}' has no study in the study registry.");
        logger.LogInformation("Train job {TrainJobId} stopped by {UserId}", id, user.UserId());
        return TrainJobViews.Of(job, status);
    }

    private static async Task<List<TrialView>> BestAsync(
        string id, int? count, ClaimsPrincipal user, JobStore jobs, NodeGateway gateway, CancellationToken cancellationToken)
    {
        if (count is < 1 or > MaxBestCount)
        {
            throw ApiProblemException.Invalid("count", $"{count} is invalid; use 1 to {MaxBestCount}.");
        }

        var (_, status) = await FindAsync(id, user, jobs, gateway, cancellationToken);
        return TrainJobViews.Deployable(status).Take(count ?? 1).Select(TrainJobViews.Of).ToList();
    }
}
