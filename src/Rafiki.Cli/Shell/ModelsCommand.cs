using System.CommandLine;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki models</c>: the built-in model families that train jobs can tune.</summary>
public static class ModelsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("models", "List the built-in model families, with their task and knobs.");
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, _, cancellationToken) =>
        {
            var families = await session.Client.ListModelsAsync(cancellationToken);
            if (session.Json)
            {
                session.WriteJson(families);
                return ShellExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("Model", "Task", "Knobs", "Description");
            foreach (var family in families)
            {
                table.AddRow(
                    Markup.Escape(family.Name), Markup.Escape(family.Task), Markup.Escape(string.Join(", ", family.Knobs)),
                    Markup.Escape(family.Description));
            }

            session.Out.Write(table);
            return ShellExitCodes.Ok;
        });
        return command;
    }
}
