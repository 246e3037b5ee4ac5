using System.CommandLine;
using System.Net;
using System.Text.Json;
using Rafiki.Client;

namespace Rafiki.Cli.Shell;

/// <summary>
/// Runs a shell command: opens a <see cref="ShellSession"/>, runs the command's work, and turns each failure into
/// one line on standard error and an exit code from <see cref="ShellExitCodes"/>.
/// </summary>
public static class ShellAction
{
    private static readonly char[] LineBreaks = ['\r', '\n'];

    /// <summary>Sets the action of <paramref name="command"/>.</summary>
    /// <param name="command">The command.</param>
    /// <param name="options">Its shell options.</param>
    /// <param name="run">The work; returns the exit code.</param>
    /// <param name="needsCredential">Whether to stop before any request when there is no credential.</param>
    public static void Set(
        Command command,
        ShellOptions options,
        Func<ShellSession, ParseResult, CancellationToken, Task<int>> run,
        bool needsCredential = true)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            ShellSession? session = null;
            try
            {
                session = ShellSession.Open(parse, options);
                if (needsCredential)
                {
                    session.RequireCredential();
                }

                return await run(session, parse, cancellationToken);
            }
            catch (Exception e) when (Describe(e, session, cancellationToken) is { } failure)
            {
                await Console.Error.WriteLineAsync($"error: {failure.Message}");
                return failure.ExitCode;
            }
            finally
            {
                session?.Dispose();
            }
        });
    }

    /// <summary>Returns the one-line message and exit code of a failure, or null for an exception to rethrow.</summary>
    public static (string Message, int ExitCode)? Describe(
        Exception exception, ShellSession? session, CancellationToken cancellationToken)
    {
        var url = session?.Url.AbsoluteUri ?? "the api node";
        return exception switch
        {
            ShellException e => (OneLine(e.Message), e.ExitCode),
            RafikiApiException e => DescribeProblem(e, session),
            HttpRequestException e => (OneLine(
                $"cannot reach an api node at {url}: {e.Message}. Start one with rafiki-node --roles master,worker,api " +
                $"(it listens on {ShellOptions.DefaultUrl} by default), or pass its URL with --url or {ShellOptions.UrlVariable}."),
                ShellExitCodes.Unreachable),
            TaskCanceledException when !cancellationToken.IsCancellationRequested => (
                $"connecting to {url} timed out; check that an api node runs there and that --url is right.", ShellExitCodes.Unreachable),
            JsonException e => (OneLine(
                $"the server at {url} returned a body that is not Rafiki API JSON ({e.Message}); check that --url names an api node."),
                ShellExitCodes.Failed),
            _ => null,
        };
    }

    private static (string Message, int ExitCode) DescribeProblem(RafikiApiException e, ShellSession? session)
    {
        var status = (int)e.Status;
        var title = e.Problem?.Title ?? e.Status.ToString();
        var detail = e.Problem?.Detail ?? e.Message;
        var message = $"{title} ({status}): {detail}";
        if (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            if (e.Status == HttpStatusCode.Unauthorized && session is { CredentialSource: CredentialSource.File })
            {
                message += $" The token saved in {session.Credentials.Path} was rejected; log in again with rafiki login --user NAME.";
            }

            return (OneLine(message), ShellExitCodes.Unauthorized);
        }

        return (OneLine(message), ShellExitCodes.Failed);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(LineBreaks, StringSplitOptions.RemoveEmptyEntries));
}
