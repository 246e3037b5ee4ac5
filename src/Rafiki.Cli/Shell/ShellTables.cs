using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary>Building blocks of the shell's table output.</summary>
public static class ShellTables
{
    /// <summary>Returns a two-column grid for name and value lines.</summary>
    public static Grid CreateFieldGrid() => new Grid().AddColumns(2);

    /// <summary>Adds a name and value line to a grid from <see cref="CreateFieldGrid"/>; the value is printed as is, not as markup.</summary>
    public static Grid AddField(this Grid grid, string name, string value) =>
        grid.AddRow(new Markup($"[bold]{Markup.Escape(name)}[/]"), new Text(value));
}
