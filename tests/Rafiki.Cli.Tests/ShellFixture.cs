using Microsoft.Extensions.Logging;
using Rafiki.Api;
using Rafiki.Client;
using Rafiki.Client.Contracts;
using Rafiki.Hosting;
using Rafiki.Testing;

namespace Rafiki.Cli.Tests;

/// <summary>
/// One real node with the api role on a loopback port, persisting to SQLite in a temporary folder, with the bootstrap
/// admin and an app developer. The shell tests run the <c>rafiki</c> command against it as a separate process.
/// </summary>
public sealed class ShellFixture : IAsyncLifetime, IDisposable
{
    public const string AdminPassword = "shell-admin-password-51";
    public const string AlicePassword = "shell-alice-password-52";

    private readonly TemporaryDirectory _folder = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(3) };

    public RafikiNode Node { get; private set; } = null!;

    public RafikiApiServer Server { get; private set; } = null!;

    /// <summary>Base URL of the API, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url => Server.BaseAddress;

    /// <summary>A client logged in as the bootstrap admin, to set up and check what the shell did.</summary>
    public RafikiClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await RafikiNode.StartAsync(
            new RafikiNodeOptions { DataDirectory = Path.Combine(_folder.Path, "node"), ProgressInterval = TimeSpan.FromMilliseconds(200) },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        var options = new ApiOptions { Port = 0, BootstrapAdminPassword = AdminPassword, PasswordIterations = 20_000 };
        Server = await RafikiApi.StartAsync(Node, options, logging => logging.SetMinimumLevel(LogLevel.Warning));

        _http.BaseAddress = Server.BaseAddress;
        Admin = new RafikiClient(_http);
        await Admin.LoginAsync("admin", AdminPassword);
        await Admin.CreateUserAsync(new CreateUserRequest("alice", AlicePassword, UserRoles.AppDeveloper));
    }

    /// <summary>Returns a shell with its own credentials folder, pointed at the API through RAFIKI_URL.</summary>
    public ShellRunner NewShell() => new(Path.Combine(_folder.Path, "shells", Guid.NewGuid().ToString("N")), Url);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Node.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ShellCollection : ICollectionFixture<ShellFixture>
{
    public const string Name = "shell";
}
