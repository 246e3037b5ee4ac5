namespace Rafiki.Cli.Shell;

/// <summary>A problem the user can fix; the shell prints the message as one line and exits with <see cref="ExitCode"/>.</summary>
public sealed class ShellException : Exception
{
    public ShellException(string message, int exitCode = ShellExitCodes.Failed)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public ShellException()
    {
    }

    public ShellException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Process exit code, one of <see cref="ShellExitCodes"/>.</summary>
    public int ExitCode { get; } = ShellExitCodes.Failed;
}
