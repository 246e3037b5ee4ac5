using System.CommandLine;
using System.Globalization;
using Rafiki.Client.Contracts;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki inference-jobs list|get|create|stop</c>.</summary>
public static class InferenceJobCommands
{
    /// <summary>Builds <c>rafiki inference-jobs</c> with its subcommands.</summary>
    public static Command Create() => new("inference-jobs", "Deploy trials of a train job as inference jobs, and stop them.")
    {
        List(), Get(), Deploy(), Stop(),
    };

    /// <summary>Returns the table of inference jobs.</summary>
    public static Table Render(IEnumerable<InferenceJobView> jobs)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("Inference job", "Train job", "Trials", "State", "Input", "Batching", "Answered", "Created (UTC)");
        foreach (var job in jobs)
        {
            table.AddRow(
                Markup.Escape(job.Id),
                Markup.Escape(job.TrainJobId),
                Markup.Escape(string.Join(", ", job.TrialIds)),
                Markup.Escape(job.State),
                $"{job.Channels}x{job.Height}x{job.Width}",
                Markup.Escape(SettingsText(job.Settings)),
                job.Statistics is { } statistics ? $"{statistics.Answered}" : "-",
                $"{job.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}");
        }

        return table;
    }

    private static string SettingsText(InferenceJobSettingsView settings)
    {
        var parts = new List<string>();
        if (settings.Policy is { } policy)
        {
            parts.Add(policy);
        }

        if (settings.TauMs is { } tau)
        {
            parts.Add($"tau {Number(tau)} ms");
        }

        if (settings.MaxBatchSize is { } maxBatch)
        {
            parts.Add($"max batch {maxBatch}");
        }

        if (settings.MaxWaitMs is { } maxWait && settings.Policy == "fixed-wait")
        {
            parts.Add($"max wait {Number(maxWait)} ms");
        }

        if (settings.QueueLimit is { } queue)
        {
            parts.Add($"queue {queue}");
        }

        if (settings.OverdueAction is { } overdue)
        {
            parts.Add($"overdue: {overdue}");
        }

        // The reject action ignores the maximum lateness.
        if (settings.MaxLateMs is { } maxLate && settings.OverdueAction != "reject")
        {
            parts.Add($"max late {Number(maxLate)} ms");
        }

        return parts.Count == 0 ? "-" : string.Join(", ", parts);
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static void Write(ShellSession session, InferenceJobView job)
    {
        if (session.Json)
        {
            session.WriteJson(job);
            return;
        }

        session.Out.Write(Render([job]));
        if (job.Statistics is { } statistics)
        {
            var batches = statistics.BatchSizeCounts.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}").ToList();
            session.Out.WriteLine(
                $"Queue {statistics.QueueLength}; answered {statistics.Answered} ({statistics.ServedLate} after tau), " +
                $"overdue {statistics.Overdue}, rejected {statistics.Rejected}, failed {statistics.Failed}; " +
                $"batches by size: {(batches.Count == 0 ? "none" : string.Join(", ", batches))}.");
            session.Out.WriteLine(
                $"Latency at the router over the last {statistics.Latency.Count} requests: p50 {Number(statistics.Latency.P50Ms)} ms, " +
                $"p95 {Number(statistics.Latency.P95Ms)} ms, p99 {Number(statistics.Latency.P99Ms)} ms.");
        }

        session.Out.WriteLine($"Classes: {string.Join(", ", job.ClassNames)}.");
    }

    private static Command List()
    {
        var command = new Command("list", "List your inference jobs (every job for an admin), oldest first.");
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, _, cancellationToken) =>
        {
            var jobs = await session.Client.ListInferenceJobsAsync(cancellationToken);
            if (session.Json)
            {
                session.WriteJson(jobs);
            }
            else
            {
                session.Out.Write(Render(jobs));
            }

            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command Get()
    {
        var id = new Argument<string>("INFERENCE_JOB") { Description = "Inference job id." };
        var command = new Command("get", "Show an inference job with its live statistics.") { id };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            Write(session, await session.Client.GetInferenceJobAsync(parse.GetValue(id)!, cancellationToken));
            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command Deploy()
    {
        var trainJob = new Option<string>("--train-job") { Description = "Train job whose trials to serve.", Required = true };
        var trials = new Option<string[]>("--trial")
        {
            Description = "Trial to serve; repeat for an ensemble that averages probabilities. Default: the best --best-k trials.",
            AllowMultipleArgumentsPerToken = true,
        };
        var bestK = new Option<int?>("--best-k") { Description = "Serve the K trials with the best validation accuracy; 1 when missing." };
        var maxBatch = new Option<int?>("--max-batch-size")
        {
            Description = "Largest batch sent to the models; the node's default when missing.",
        };
        var maxWait = new Option<double?>("--max-wait-ms")
        {
            Description = "Milliseconds the oldest queued request may wait for a batch to fill; the node's default when missing.",
        };
        var queueLimit = new Option<int?>("--queue-limit")
        {
            Description = "Maximum number of waiting requests; more are rejected. The node's default when missing.",
        };
        var tau = new Option<double?>("--tau-ms")
        {
            Description = "Latency target in milliseconds, from a request's arrival at the router to its answer; the node's default when missing.",
        };
        var policy = new Option<string?>("--policy")
        {
            Description = "Batching policy: greedy, none, fixed-wait or aimd; the node's default (greedy) when missing.",
        };
        var margin = new Option<double?>("--margin-ms")
        {
            Description = "Greedy policy: milliseconds kept in reserve on top of the estimated batch latency.",
        };
        var overdue = new Option<string?>("--overdue")
        {
            Description = "What happens to a request that can no longer meet the latency target: serve-late or reject.",
        };
        var maxLate = new Option<double?>("--max-late-ms", "--max-late")
        {
            Description = "With serve-late: a waiting request that would end this many milliseconds or more past the "
                + "latency target gets an overdue error at once. 10 times --tau-ms when missing.",
        };

        var command = new Command("create", "Deploy trials of a train job as an inference job; returns once every model is loaded.")
        {
            trainJob, trials, bestK, maxBatch, maxWait, queueLimit, tau, policy, margin, overdue, maxLate,
        };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var trialIds = parse.GetValue(trials);
            var settings = new InferenceJobSettingsView(
                parse.GetValue(maxBatch), parse.GetValue(maxWait), parse.GetValue(queueLimit),
                parse.GetValue(tau), parse.GetValue(policy), parse.GetValue(margin), parse.GetValue(overdue),
                parse.GetValue(maxLate));

            var request = new CreateInferenceJobRequest(
                parse.GetValue(trainJob), trialIds is { Length: > 0 } ? trialIds : null, parse.GetValue(bestK), settings);
            Write(session, await session.Client.CreateInferenceJobAsync(request, cancellationToken));
            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command Stop()
    {
        var id = new Argument<string>("INFERENCE_JOB") { Description = "Inference job id." };
        var command = new Command("stop", "Stop an inference job and free its models.") { id };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            Write(session, await session.Client.StopInferenceJobAsync(parse.GetValue(id)!, cancellationToken));
            return ShellExitCodes.Ok;
        });
        return command;
    }
}
