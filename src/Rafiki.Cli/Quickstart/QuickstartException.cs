namespace Rafiki.Cli.Quickstart;

/// <summary>A problem the user can fix; the CLI prints the message without a stack trace and exits with 1.</summary>
public sealed class QuickstartException : Exception
{
    public QuickstartException(string message)
        : base(message)
    {
    }

    public QuickstartException()
    {
    }

    public QuickstartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
