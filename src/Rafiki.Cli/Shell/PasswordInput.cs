using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary>Reads a password from an option, standard input or a prompt that hides what is typed.</summary>
public static class PasswordInput
{
    /// <summary>
    /// Returns <paramref name="fromOption"/> when set; otherwise reads one line from standard input when it is
    /// redirected, or prompts for the password of <paramref name="username"/>.
    /// </summary>
    /// <exception cref="ShellException">Standard input is redirected but empty.</exception>
    public static string Read(string? fromOption, string username)
    {
        if (fromOption is { Length: > 0 })
        {
            return fromOption;
        }

        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine();
            return line is { Length: > 0 }
                ? line
                : throw new ShellException("no password on standard input; send it as one line, or pass --password.");
        }

        return AnsiConsole.Prompt(new TextPrompt<string>($"Password for {Markup.Escape(username)}:").Secret());
    }
}
