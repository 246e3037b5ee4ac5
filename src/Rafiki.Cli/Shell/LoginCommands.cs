using System.CommandLine;
using System.Net;
using Rafiki.Client;
using Rafiki.Client.Contracts;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki login</c> and <c>rafiki logout</c>: get a token and save it, or revoke it and remove it.</summary>
public static class LoginCommands
{
    /// <summary>Builds <c>rafiki login</c>.</summary>
    public static Command Login()
    {
        var user = new Option<string>("--user") { Description = "User name.", Required = true };
        var password = new Option<string?>("--password")
        {
            Description = "Password; when missing, it is prompted for, or read as one line from standard input when " +
                          "that is redirected. Other users of this machine can see a password given on the command line.",
        };
        var lifetime = new Option<int?>("--lifetime")
        {
            Description = "Token lifetime in seconds; the api node caps it at its own maximum (1 hour unless configured).",
        };
        var printToken = new Option<bool>("--print-token")
        {
            Description = $"Print only the token on standard output, for scripts that set {ShellOptions.TokenVariable}.",
        };
        var command = new Command("login", "Log in to an api node and save the token for later commands.")
        {
            user, password, lifetime, printToken,
        };
        var options = ShellOptions.AddTo(command, withToken: false);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var username = parse.GetValue(user)!;
            var secret = PasswordInput.Read(parse.GetValue(password), username);
            var response = await session.Client.LoginAsync(username, secret, parse.GetValue(lifetime), cancellationToken);
            Save(session, response);

            if (parse.GetValue(printToken))
            {
                Console.Out.WriteLine(response.Token);
            }
            else if (session.Json)
            {
                var account = response.User;
                session.WriteJson(new LoginView(
                    session.Url.AbsoluteUri, account.Username, account.Role, response.ExpiresAt, session.Credentials.Path));
            }
            else
            {
                WriteLoggedIn(session, response);
            }

            return ShellExitCodes.Ok;
        }, needsCredential: false);
        return command;
    }

    /// <summary>Builds <c>rafiki logout</c>.</summary>
    public static Command Logout()
    {
        var command = new Command("logout", "Revoke the token in use and remove it from the credentials file.");
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, _, cancellationToken) =>
        {
            try
            {
                await session.Client.LogoutAsync(cancellationToken);
            }
            catch (RafikiApiException e)
                when (e.Status == HttpStatusCode.Unauthorized && session.CredentialSource == CredentialSource.File)
            {
                // The saved token already expired or was revoked; removing it below is all that is left to do.
            }

            var url = session.Url.AbsoluteUri;
            var saved = session.Credentials.Load();
            if (saved.Logins.ContainsKey(url))
            {
                var logins = saved.Logins.Where(pair => pair.Key != url).ToDictionary(StringComparer.Ordinal);
                session.Credentials.Save(saved with { Logins = logins });
            }

            session.Out.WriteLine($"Logged out of {url}.");
            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static void Save(ShellSession session, TokenResponse response)
    {
        var url = session.Url.AbsoluteUri;
        var saved = session.Credentials.Load();
        var logins = new Dictionary<string, SavedLogin>(saved.Logins, StringComparer.Ordinal)
        {
            [url] = new SavedLogin(response.User.Username, response.Token, response.ExpiresAt),
        };
        session.Credentials.Save(new SavedCredentials(url, logins));
    }

    private static void WriteLoggedIn(ShellSession session, TokenResponse response)
    {
        var url = Markup.Escape(session.Url.AbsoluteUri);
        var user = $"[bold]{Markup.Escape(response.User.Username)}[/] ({Markup.Escape(response.User.Role)})";
        var expiry = $"{response.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        var path = Markup.Escape(session.Credentials.Path);
        session.Out.MarkupLine($"Logged in to {url} as {user} until {expiry}; the token is saved in {path}.");
    }

    private sealed record LoginView(string Url, string Username, string Role, DateTimeOffset ExpiresAt, string CredentialsFile);
}
