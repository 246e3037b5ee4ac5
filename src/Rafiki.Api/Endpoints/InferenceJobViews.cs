using Akka.Actor;
using Rafiki.Api.Problems;
using Rafiki.Batching;
using Rafiki.Client.Contracts;
using Rafiki.Inference;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Api.Endpoints;

/// <summary>Converts inference-job settings and statistics between the actor layer and the API contracts.</summary>
public static class InferenceJobViews
{
    // The router's wake-up timer (System.Threading.Timer) accepts due times of up to 4294967294 ms, about 49.7 days.
    // A latency target, batch wait or maximum lateness of more than an hour is a typing error rather than an
    // online-serving setting.
    private const double MaxDelayMs = 3_600_000;

    // The router allocates the whole queue when the job deploys, so the limit bounds the memory of one job.
    private const int MaxQueueLimit = 65_536;

    /// <summary>Validates the settings of a deploy request and returns them with the server's defaults for null fields.</summary>
    /// <exception cref="ApiProblemException">400 that names every invalid setting as <c>settings.field</c>.</exception>
    public static InferenceJobSettings ToSettings(InferenceJobSettingsView? view)
    {
        var defaults = new InferenceJobSettings();
        var problems = new List<string>();
        var overdueAction = defaults.OverdueAction;
        if (view?.OverdueAction is { } actionName)
        {
            if (ApiNames.Parse<OverdueAction>(actionName) is { } parsed)
            {
                overdueAction = parsed;
            }
            else
            {
                var known = string.Join(" or ", Enum.GetValues<OverdueAction>().Select(action => ApiNames.Of(action)));
                problems.Add($"overdueAction: '{actionName}' is unknown; use {known}.");
            }
        }

        var settings = defaults with
        {
            MaxBatchSize = view?.MaxBatchSize ?? defaults.MaxBatchSize,
            MaxWaitMs = view?.MaxWaitMs ?? defaults.MaxWaitMs,
            QueueLimit = view?.QueueLimit ?? defaults.QueueLimit,
            TauMs = view?.TauMs ?? defaults.TauMs,
            Policy = view?.Policy ?? defaults.Policy,
            MarginMs = view?.MarginMs ?? defaults.MarginMs,
            OverdueAction = overdueAction,
            MaxLateMs = view?.MaxLateMs ?? defaults.MaxLateMs,
        };
        problems.AddRange(settings.Validate());
        problems.AddRange(AboveApiLimits(settings));
        if (problems.Count > 0)
        {
            throw ApiProblemException.Invalid([.. problems.Select(problem => $"settings.{problem}")]);
        }

        return settings;
    }

    /// <summary>
    /// Returns the settings as the API shows them, every field filled in: a null maximum lateness as the default
    /// in effect.
    /// </summary>
    public static InferenceJobSettingsView ToView(InferenceJobSettings settings) => new(
        settings.MaxBatchSize,
        settings.MaxWaitMs,
        settings.QueueLimit,
        settings.TauMs,
        settings.Policy,
        settings.MarginMs,
        ApiNames.Of(settings.OverdueAction),
        settings.ToBatchingOptions().LateLimitMs);

    /// <summary>Returns the live statistics of a job as the API shows them.</summary>
    /// <param name="status">Status the job's router sent.</param>
    /// <param name="system">Actor system of this node, whose address is reported for models that run on this node.</param>
    public static InferenceJobStatistics ToStatistics(InferenceJobStatus status, ActorSystem system)
    {
        var localNode = ((ExtendedActorSystem)system).Provider.DefaultAddress;
        var models = status.Models.Select(model => new ModelStatusView(
            model.Index,
            model.TrialId,
            NodeOf(model.ActorPath, localNode),
            model.ActorPath,
            model.WarmupLatenciesMs,
            ToView(model.ForwardLatency)));
        return new InferenceJobStatistics(
            status.QueueLength,
            status.Answered,
            status.ServedLate,
            status.Overdue,
            status.Rejected,
            status.Failed,
            status.BatchSizeCounts,
            ToView(status.Latency),
            ToView(status.WakeUpLag),
            status.EstimatedBatchLatenciesMs,
            [.. models]);
    }

    // Limits that the inference layer does not check; values that Validate already rejects are skipped, so each
    // invalid field is named once.
    private static IEnumerable<string> AboveApiLimits(InferenceJobSettings settings)
    {
        if (double.IsFinite(settings.TauMs) && settings.TauMs > MaxDelayMs)
        {
            yield return $"tauMs: {settings.TauMs} is too large; use at most {MaxDelayMs} milliseconds (one hour).";
        }

        if (double.IsFinite(settings.MaxWaitMs) && settings.MaxWaitMs > MaxDelayMs)
        {
            yield return $"maxWaitMs: {settings.MaxWaitMs} is too large; use at most {MaxDelayMs} milliseconds (one hour).";
        }

        if (settings.MaxLateMs is { } maxLateMs && double.IsFinite(maxLateMs) && maxLateMs > MaxDelayMs)
        {
            yield return $"maxLateMs: {maxLateMs} is too large; use at most {MaxDelayMs} milliseconds (one hour).";
        }

        if (settings.QueueLimit > MaxQueueLimit)
        {
            yield return $"queueLimit: {settings.QueueLimit} is too large; use 1 to {MaxQueueLimit}.";
        }
    }

    private static LatencyPercentilesView ToView(LatencyPercentiles percentiles) =>
        new(percentiles.Count, percentiles.P50Ms, percentiles.P95Ms, percentiles.P99Ms);

    // A local actor's path contains no host and port, so the node's own address is returned for it.
    private static string? NodeOf(string? actorPath, Address localNode)
    {
        if (actorPath is null || !ActorPath.TryParseAddress(actorPath, out var address))
        {
            return null;
        }

        return (address.HasLocalScope ? localNode : address).ToString();
    }
}
