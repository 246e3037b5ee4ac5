using System.CommandLine;

namespace Rafiki.Cli.Shell;

/// <summary>
/// Options that every shell command takes: the api node's URL, the credential and the output format. Each command
/// gets its own instances, because <c>rafiki quickstart</c> has a <c>--json</c> option of another kind.
/// </summary>
public sealed class ShellOptions
{
    /// <summary>Environment variable with the api node's URL.</summary>
    public const string UrlVariable = "RAFIKI_URL";

    /// <summary>Environment variable with a token or API key.</summary>
    public const string TokenVariable = "RAFIKI_TOKEN";

    /// <summary>URL of an api node that rafiki-node starts with its default --http-host and --http-port.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080/";

    private ShellOptions()
    {
    }

    /// <summary>Option <c>--url</c>.</summary>
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"URL of an api node (also {UrlVariable}); default: the URL of the last login, else {DefaultUrl}.",
    };

    /// <summary>Option <c>--token</c>.</summary>
    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Token or API key to send (also {TokenVariable}); default: the token that rafiki login saved for the URL.",
    };

    /// <summary>Option <c>--json</c>.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print the API's JSON instead of tables." };

    /// <summary>Adds new instances of the options to a command and returns them.</summary>
    /// <param name="command">The command.</param>
    /// <param name="withToken">Whether the command takes <c>--token</c>; <c>rafiki login</c> does not.</param>
    public static ShellOptions AddTo(Command command, bool withToken = true)
    {
        var options = new ShellOptions();
        command.Add(options.Url);
        if (withToken)
        {
            command.Add(options.Token);
        }

        command.Add(options.Json);
        return options;
    }
}
