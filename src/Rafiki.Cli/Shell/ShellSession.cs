using System.CommandLine;
using System.Text.Json;
using Rafiki.Client;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary>
/// One shell command's connection to an api node: the resolved URL and credential, a <see cref="RafikiClient"/>,
/// and where output goes.
/// </summary>
public sealed class ShellSession : IDisposable
{
    private static readonly JsonSerializerOptions PrintedJson = new(RafikiClientJson.Options) { WriteIndented = true };

    private readonly HttpClient _http;

    private ShellSession(Uri url, string? token, CredentialSource source, bool json, CredentialStore credentials)
    {
        Url = url;
        CredentialSource = source;
        Json = json;
        Credentials = credentials;

        // Only connecting has a time limit, because a deploy waits for every model to load and an upload can be large.
        // The API limits its own waits for the actors, and Ctrl+C cancels the command.
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        _http = new HttpClient(handler) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
        Client = new RafikiClient(_http);
        if (token is not null)
        {
            Client.WithToken(token);
        }
    }

    /// <summary>Base URL of the api node, with a trailing slash.</summary>
    public Uri Url { get; }

    /// <summary>Client of the api node, with the credential when there is one.</summary>
    public RafikiClient Client { get; }

    /// <summary>Where the credential came from; <see cref="CredentialSource.None"/> when there is none.</summary>
    public CredentialSource CredentialSource { get; }

    /// <summary>Whether to print JSON instead of tables.</summary>
    public bool Json { get; }

    /// <summary>The user's credentials file.</summary>
    public CredentialStore Credentials { get; }

    /// <summary>Standard output for tables and messages.</summary>
    public IAnsiConsole Out => AnsiConsole.Console;

    /// <summary>
    /// Resolves the URL (--url, RAFIKI_URL, the last login, the default) and the credential (--token,
    /// RAFIKI_TOKEN, the token saved for that URL) and opens a session.
    /// </summary>
    /// <exception cref="ShellException">The URL is invalid or the credentials file cannot be read.</exception>
    public static ShellSession Open(ParseResult parse, ShellOptions options)
    {
        var credentials = CredentialStore.Default();
        var saved = credentials.Load();
        var url = ParseUrl(
            parse.GetValue(options.Url) ?? NonEmpty(Environment.GetEnvironmentVariable(ShellOptions.UrlVariable))
            ?? saved.CurrentUrl ?? ShellOptions.DefaultUrl);

        string? token;
        CredentialSource source;
        if (NonEmpty(parse.GetValue(options.Token)) is { } fromOption)
        {
            (token, source) = (fromOption, CredentialSource.Option);
        }
        else if (NonEmpty(Environment.GetEnvironmentVariable(ShellOptions.TokenVariable)) is { } fromEnvironment)
        {
            (token, source) = (fromEnvironment, CredentialSource.Environment);
        }
        else if (saved.Logins.TryGetValue(url.AbsoluteUri, out var login))
        {
            (token, source) = (login.Token, CredentialSource.File);
        }
        else
        {
            (token, source) = (null, CredentialSource.None);
        }

        if (source == CredentialSource.File && credentials.IsReadableByOthers())
        {
            Console.Error.WriteLine(
                $"warning: credentials file {credentials.Path} is readable by other users; run chmod 600 {credentials.Path}.");
        }

        return new ShellSession(url, token, source, parse.GetValue(options.Json), credentials);
    }

    /// <summary>Parses an api node URL; adds the trailing slash that relative API paths need.</summary>
    /// <exception cref="ShellException">The text is not an absolute http or https URL.</exception>
    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new ShellException($"URL '{text}' is invalid; use http://HOST:PORT of an api node, such as {ShellOptions.DefaultUrl}.");
        }

        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    /// <summary>Throws unless the session has a credential; commands call it before requests that need one.</summary>
    /// <exception cref="ShellException">With <see cref="ShellExitCodes.Unauthorized"/>, saying how to log in.</exception>
    public void RequireCredential()
    {
        if (CredentialSource == CredentialSource.None)
        {
            throw new ShellException(
                $"not logged in to {Url}; run rafiki login --url {Url} --user NAME, or set {ShellOptions.TokenVariable}.",
                ShellExitCodes.Unauthorized);
        }
    }

    /// <summary>Prints a value as indented JSON in the API's format.</summary>
    public void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, PrintedJson));

    public void Dispose() => _http.Dispose();

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>Where a shell command's credential came from.</summary>
public enum CredentialSource
{
    /// <summary>No credential.</summary>
    None,

    /// <summary>The --token option.</summary>
    Option,

    /// <summary>The RAFIKI_TOKEN environment variable.</summary>
    Environment,

    /// <summary>The credentials file that rafiki login writes.</summary>
    File,
}
