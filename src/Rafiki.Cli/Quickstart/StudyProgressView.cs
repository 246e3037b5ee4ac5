using Akka.Actor;
using Rafiki.Training.Studies;
using Spectre.Console;

namespace Rafiki.Cli.Quickstart;

/// <summary>
/// Shows a study's trials while it runs: a live table on an interactive terminal, or one line per finished epoch
/// and per trial state change when the output is redirected (logs, CI).
/// </summary>
public sealed class StudyProgressView(IAnsiConsole console, IActorRef studies, string studyId)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>Polls the study until it ends and returns its final status.</summary>
    public async Task<StudyStatus> FollowAsync(CancellationToken cancellationToken)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await FollowAsLinesAsync(cancellationToken);
        }

        StudyStatus status = await GetAsync(cancellationToken);
        await console.Live(Render(status)).AutoClear(false).StartAsync(async live =>
        {
            while (status.State == StudyState.Running)
            {
                await Task.Delay(PollInterval, cancellationToken);
                status = await GetAsync(cancellationToken);
                live.UpdateTarget(Render(status));
            }
        });
        return status;
    }

    /// <summary>Builds the table of trials.</summary>
    public static Table Render(StudyStatus status)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"Study {status.StudyId} ({status.State.ToString().ToLowerInvariant()}): {status.Trials.Length}/{status.Spec.Budget.MaxTrials} trials")
            .AddColumns("Trial", "Model", "From", "Knobs", "State", "Epoch", "Val acc");
        var bestId = status.Best?.Id;
        foreach (var trial in status.Trials)
        {
            var accuracy = trial.Epochs == 0 ? "-" : $"{trial.ValAccuracy:F4}";
            table.AddRow(
                new Markup(Markup.Escape($"#{trial.Number}")),
                new Markup(Markup.Escape(trial.Model)),
                new Markup(trial.WarmStartFrom is { } from ? Markup.Escape($"#{NumberOf(status, from.TrialId)}") : "-"),
                new Markup($"[grey]{Markup.Escape(trial.Knobs.ToString())}[/]"),
                new Markup(StateMarkup(trial.State)),
                new Markup(Markup.Escape(EpochText(trial, status.Spec.Budget.MaxEpochs))),
                new Markup(trial.Id == bestId ? $"[bold green]{accuracy}[/]" : accuracy));
        }

        return table;
    }

    private static int NumberOf(StudyStatus status, string trialId) => status.Trials.FirstOrDefault(t => t.Id == trialId)?.Number ?? 0;

    private static string EpochText(TrialStatus trial, int maxEpochs)
    {
        if (trial.State != TrialState.Running || trial.CurrentEpoch == 0)
        {
            return $"{trial.Epochs}/{maxEpochs}";
        }

        const int width = 10;
        var filled = (int)Math.Round(trial.CurrentEpochFraction * width);
        return $"{trial.CurrentEpoch}/{maxEpochs} {new string('█', filled)}{new string('░', width - filled)} {trial.CurrentEpochFraction:P0}";
    }

    private static string StateMarkup(TrialState state) => state switch
    {
        TrialState.Running => "[yellow]running[/]",
        TrialState.Completed => "[green]completed[/]",
        TrialState.Pruned => "[blue]pruned[/]",
        TrialState.Failed => "[red]failed[/]",
        _ => "[grey]stopped[/]",
    };

    private async Task<StudyStatus> FollowAsLinesAsync(CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, (TrialState State, int Epochs)>();
        while (true)
        {
            var status = await GetAsync(cancellationToken);
            foreach (var trial in status.Trials)
            {
                var now = (trial.State, trial.Epochs);
                if (seen.TryGetValue(trial.Id, out var before) && before == now)
                {
                    continue;
                }

                seen[trial.Id] = now;
                var accuracy = trial.Epochs == 0 ? "" : $", val acc {trial.ValAccuracy:F4}";
                var from = trial.WarmStartFrom is { } warm ? $" from #{NumberOf(status, warm.TrialId)}" : "";
                console.WriteLine($"trial #{trial.Number} {trial.Model}{from} [{trial.Knobs}]: {trial.State.ToString().ToLowerInvariant()}, " +
                                  $"epoch {trial.Epochs}/{status.Spec.Budget.MaxEpochs}{accuracy}{(trial.Reason is null ? "" : $" ({trial.Reason})")}");
            }

            if (status.State != StudyState.Running)
            {
                return status;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private Task<StudyStatus> GetAsync(CancellationToken cancellationToken) =>
        studies.Ask<StudyStatus>(new StudyProtocol.GetStudy(studyId), TimeSpan.FromSeconds(30), cancellationToken);
}
