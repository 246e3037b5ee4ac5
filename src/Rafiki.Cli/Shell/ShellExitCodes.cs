namespace Rafiki.Cli.Shell;

/// <summary>Exit codes of the shell commands, so that scripts can tell failures apart.</summary>
public static class ShellExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>
    /// The API rejected the request (it returned problem details), or an option or file is invalid. Command-line
    /// syntax errors also exit with 1.
    /// </summary>
    public const int Failed = 1;

    /// <summary>No api node responded at the URL: connection refused, unknown host or connect timeout.</summary>
    public const int Unreachable = 2;

    /// <summary>No credentials, or the API rejected them (HTTP 401) or the user's role (HTTP 403).</summary>
    public const int Unauthorized = 3;

    /// <summary>A wait for a train job ended before the job did.</summary>
    public const int TimedOut = 4;
}
