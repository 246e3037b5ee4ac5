using System.CommandLine;
using System.Net;
using Rafiki.Client;
using Rafiki.Client.Contracts;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki cluster status</c>: whether the api node is healthy, who is logged in, and job counts.</summary>
public static class ClusterCommands
{
    /// <summary>What <c>rafiki cluster status</c> prints.</summary>
    /// <param name="Url">URL of the api node.</param>
    /// <param name="Healthy">Whether its health endpoint returned success.</param>
    /// <param name="User">The logged-in user; null without a credential.</param>
    /// <param name="Datasets">Datasets the user may access; null without a credential.</param>
    /// <param name="TrainJobs">Train jobs the user may access; null without a credential.</param>
    /// <param name="InferenceJobs">Inference jobs the user may access; null without a credential or for a role that has none.</param>
    public sealed record ClusterStatus(
        string Url, bool Healthy, UserView? User, int? Datasets, JobCounts? TrainJobs, JobCounts? InferenceJobs);

    /// <summary>Jobs by state.</summary>
    public sealed record JobCounts(int Running, int Total);

    /// <summary>Builds <c>rafiki cluster</c> with its subcommands.</summary>
    public static Command Create() => new("cluster", "Look at the cluster behind an api node.") { Status() };

    private static Command Status()
    {
        // NOTE: the HTTP API has no endpoint for cluster members or worker device slots. This command shows the api
        // node's health and the caller's jobs until Rafiki.Api gets one.
        var command = new Command("status", "Show whether the api node is healthy, who is logged in, and how many jobs run.");
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, _, cancellationToken) =>
        {
            var status = await GetAsync(session, cancellationToken);
            if (session.Json)
            {
                session.WriteJson(status);
            }
            else
            {
                Write(session, status);
            }

            return status.Healthy ? ShellExitCodes.Ok : ShellExitCodes.Failed;
        }, needsCredential: false);
        return command;
    }

    private static async Task<ClusterStatus> GetAsync(ShellSession session, CancellationToken cancellationToken)
    {
        var healthy = await session.Client.IsHealthyAsync(cancellationToken);
        if (!healthy || session.CredentialSource == CredentialSource.None)
        {
            return new ClusterStatus(session.Url.AbsoluteUri, healthy, null, null, null, null);
        }

        var user = await session.Client.GetCurrentUserAsync(cancellationToken);
        var datasets = await session.Client.ListDatasetsAsync(cancellationToken);
        var trainJobs = await session.Client.ListTrainJobsAsync(cancellationToken);
        JobCounts? inferenceCounts = null;
        try
        {
            var inferenceJobs = await session.Client.ListInferenceJobsAsync(cancellationToken);
            inferenceCounts = new JobCounts(inferenceJobs.Count(job => job.State == "running"), inferenceJobs.Count);
        }
        catch (RafikiApiException e) when (e.Status == HttpStatusCode.Forbidden)
        {
            // Model developers tune models but do not deploy them, so they have no inference jobs to count.
        }

        return new ClusterStatus(
            session.Url.AbsoluteUri, healthy, user, datasets.Count,
            new JobCounts(trainJobs.Count(job => job.State == "running"), trainJobs.Count), inferenceCounts);
    }

    private static void Write(ShellSession session, ClusterStatus status)
    {
        var grid = ShellTables.CreateFieldGrid();
        grid.AddField("API node", status.Url);
        grid.AddField("Health", status.Healthy ? "ok" : "unhealthy (the health endpoint returned an error status)");
        grid.AddField("User", status.User is { } user ? $"{user.Username} ({user.Role})" : "not logged in");
        if (status.Datasets is { } datasets)
        {
            grid.AddField("Datasets", $"{datasets}");
        }

        if (status.TrainJobs is { } train)
        {
            grid.AddField("Train jobs", $"{train.Running} running, {train.Total} in all");
        }

        if (status.InferenceJobs is { } inference)
        {
            grid.AddField("Inference jobs", $"{inference.Running} running, {inference.Total} in all");
        }

        session.Out.Write(grid);
    }
}
