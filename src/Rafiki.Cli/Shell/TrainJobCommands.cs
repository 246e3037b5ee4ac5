using System.CommandLine;
using System.Globalization;
using Rafiki.Client.Contracts;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki train-jobs list|get|create|stop|wait</c>.</summary>
public static class TrainJobCommands
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Builds <c>rafiki train-jobs</c> with its subcommands.</summary>
    public static Command Create() => new("train-jobs", "Create, watch and stop train jobs (studies that tune models).")
    {
        List(), Get(), TrainJobCreateCommand.Create(), Stop(), Wait(),
    };

    /// <summary>Prints a train job: its settings, then its trials.</summary>
    public static void Write(ShellSession session, TrainJobView job)
    {
        if (session.Json)
        {
            session.WriteJson(job);
            return;
        }

        var budget = job.Budget;
        var grid = ShellTables.CreateFieldGrid();
        grid.AddField("Train job", job.Id);
        grid.AddField("Name", job.Name);
        grid.AddField("State", job.State);
        grid.AddField("Task", job.Task);
        grid.AddField("Datasets", $"train {job.TrainDatasetId}, validation {job.ValidationDatasetId}");
        grid.AddField("Models", string.Join(", ", job.Models));
        var timeLimit = budget.TimeLimitSeconds is { } limit ? $", {limit.ToString("0.#", CultureInfo.InvariantCulture)} s limit" : "";
        grid.AddField("Budget", $"{budget.MaxTrials} trials of {budget.MaxEpochs} epochs, {budget.DeviceSlots ?? 1} at once{timeLimit}");
        grid.AddField("Advisor", job.Advisor);
        grid.AddField("Early stopping", job.EarlyStopping);
        grid.AddField("CoStudy", job.Costudy ? "on" : "off");
        grid.AddField("Owner", job.Owner);
        grid.AddField("Created (UTC)", $"{job.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}");
        grid.AddField("Ended (UTC)", job.EndedAt is { } ended ? $"{ended.UtcDateTime:yyyy-MM-dd HH:mm:ss}" : "-");
        grid.AddField("Best trial", job.BestTrial is { } best
            ? $"#{best.Number} {best.Id} ({best.Model}), val acc {best.ValidationAccuracy.ToString("F4", CultureInfo.InvariantCulture)}"
            : "-");
        session.Out.Write(grid);
        session.Out.Write(TrialsCommand.Render(job.Trials, budget.MaxEpochs, job.BestTrial?.Id));
    }

    /// <summary>
    /// Polls a train job until it is no longer running and returns the last view. Unless the output is JSON, it
    /// prints a line whenever a trial starts, finishes an epoch or ends.
    /// </summary>
    /// <exception cref="ShellException">With <see cref="ShellExitCodes.TimedOut"/> when the job still runs after <paramref name="timeout"/>.</exception>
    public static async Task<TrainJobView> WaitAsync(
        ShellSession session, string id, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var deadline = timeout is { } limit ? DateTimeOffset.UtcNow + limit : DateTimeOffset.MaxValue;
        var printed = new Dictionary<string, (string State, int Epochs)>(StringComparer.Ordinal);
        while (true)
        {
            var job = await session.Client.GetTrainJobAsync(id, cancellationToken);
            foreach (var trial in job.Trials)
            {
                if (!printed.TryGetValue(trial.Id, out var last) || last != (trial.State, trial.Epochs))
                {
                    printed[trial.Id] = (trial.State, trial.Epochs);
                    WriteProgress(session, trial, job.Budget.MaxEpochs);
                }
            }

            if (job.State != "running")
            {
                return job;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new ShellException(
                    $"train job {id} is still running after {timeout!.Value.TotalSeconds:0} s; wait again with rafiki train-jobs wait {id}, " +
                    $"or stop it with rafiki train-jobs stop {id}.",
                    ShellExitCodes.TimedOut);
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Returns the <c>--timeout</c> option of the commands that wait for a train job.</summary>
    public static Option<double?> TimeoutOption() => new("--timeout")
    {
        Description = $"Seconds to wait before giving up with exit code {ShellExitCodes.TimedOut}; no limit when missing. " +
                      "The job keeps running.",
    };

    /// <summary>Converts the <c>--timeout</c> value.</summary>
    /// <exception cref="ShellException">The value is not a positive number of seconds.</exception>
    public static TimeSpan? ParseTimeout(double? seconds) => seconds switch
    {
        null => null,
        > 0 when double.IsFinite(seconds.Value) => TimeSpan.FromSeconds(seconds.Value),
        _ => throw new ShellException($"--timeout {seconds} is invalid; use a positive number of seconds."),
    };

    private static void WriteProgress(ShellSession session, TrialView trial, int? maxEpochs)
    {
        if (session.Json)
        {
            return;
        }

        var accuracy = trial.Epochs == 0 ? "" : $", val acc {trial.ValidationAccuracy.ToString("F4", CultureInfo.InvariantCulture)}";
        var reason = trial.Reason is null || trial.State == "completed" ? "" : $" ({trial.Reason})";
        session.Out.WriteLine($"trial #{trial.Number} {trial.Model}: {trial.State}, epoch {trial.Epochs}/{maxEpochs}{accuracy}{reason}");
    }

    private static Command List()
    {
        var command = new Command("list", "List your train jobs (every job for an admin), oldest first.");
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, _, cancellationToken) =>
        {
            var jobs = await session.Client.ListTrainJobsAsync(cancellationToken);
            if (session.Json)
            {
                session.WriteJson(jobs);
                return ShellExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("Train job", "Name", "State", "Owner", "Created (UTC)");
            foreach (var job in jobs)
            {
                table.AddRow(
                    Markup.Escape(job.Id), Markup.Escape(job.Name), Markup.Escape(job.State), Markup.Escape(job.Owner),
                    $"{job.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}");
            }

            session.Out.Write(table);
            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command Get()
    {
        var id = new Argument<string>("TRAIN_JOB") { Description = "Train job id." };
        var command = new Command("get", "Show a train job with its trials.") { id };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            Write(session, await session.Client.GetTrainJobAsync(parse.GetValue(id)!, cancellationToken));
            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command Stop()
    {
        var id = new Argument<string>("TRAIN_JOB") { Description = "Train job id." };
        var command = new Command("stop", "Stop a train job: no trial starts, and running trials stop at their next epoch.") { id };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            Write(session, await session.Client.StopTrainJobAsync(parse.GetValue(id)!, cancellationToken));
            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command Wait()
    {
        var id = new Argument<string>("TRAIN_JOB") { Description = "Train job id." };
        var timeout = TimeoutOption();
        var command = new Command("wait", "Follow a train job's trials until the job ends, then show it.") { id, timeout };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var job = await WaitAsync(session, parse.GetValue(id)!, ParseTimeout(parse.GetValue(timeout)), cancellationToken);
            Write(session, job);
            return ShellExitCodes.Ok;
        });
        return command;
    }
}
