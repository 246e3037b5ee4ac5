using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rafiki.Client.Contracts;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki trials JOB</c>: the trials of a train job with their knobs, progress and warm-start lineage.</summary>
public static class TrialsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("TRAIN_JOB") { Description = "Train job id." };
        var command = new Command("trials", "List the trials of a train job: knobs, state, epochs, validation accuracy, warm start.") { job };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var trials = await session.Client.ListTrialsAsync(parse.GetValue(job)!, cancellationToken);
            if (session.Json)
            {
                session.WriteJson(trials);
            }
            else
            {
                session.Out.Write(Render(trials, maxEpochs: null, bestTrialId: null));
            }

            return ShellExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Returns the table of trials.</summary>
    /// <param name="trials">Trials in start order.</param>
    /// <param name="maxEpochs">Epochs per trial of the job's budget, shown as the denominator; null to leave it out.</param>
    /// <param name="bestTrialId">Trial to highlight as the best; null for none.</param>
    public static Table Render(IReadOnlyList<TrialView> trials, int? maxEpochs, string? bestTrialId)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("#", "Trial", "Model", "State", "Epochs", "Val acc", "Warm start", "Knobs");
        foreach (var trial in trials)
        {
            var accuracy = trial.Epochs == 0 ? "-" : trial.ValidationAccuracy.ToString("F4", CultureInfo.InvariantCulture);
            table.AddRow(
                $"{trial.Number}",
                Markup.Escape(trial.Id),
                Markup.Escape(trial.Model),
                Markup.Escape(trial.State),
                maxEpochs is { } max ? $"{trial.Epochs}/{max}" : $"{trial.Epochs}",
                trial.Id == bestTrialId ? $"[bold green]{accuracy}[/]" : accuracy,
                Markup.Escape(WarmStartText(trial, trials)),
                Markup.Escape(KnobsText(trial.Knobs)));
        }

        return table;
    }

    /// <summary>Returns a trial's knobs as <c>name=value</c> pairs sorted by name.</summary>
    public static string KnobsText(IReadOnlyDictionary<string, JsonElement> knobs) => string.Join(", ", knobs
        .OrderBy(pair => pair.Key, StringComparer.Ordinal)
        .Select(pair => $"{pair.Key}={KnobValueText(pair.Value)}"));

    /// <summary>Returns where a trial warm-started from, as <c>#N</c> of the referenced trial, or <c>-</c>.</summary>
    public static string WarmStartText(TrialView trial, IReadOnlyList<TrialView> trials)
    {
        if (trial.WarmStartFrom is not { } from)
        {
            return "-";
        }

        return trials.FirstOrDefault(other => other.Id == from) is { } source ? $"#{source.Number}" : from;
    }

    private static string KnobValueText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when value.TryGetInt64(out var whole) => whole.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Number => value.GetDouble().ToString("G4", CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };
}
