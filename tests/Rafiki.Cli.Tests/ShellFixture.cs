using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Rafiki.Client;
using Rafiki.Client.Contracts;
using Rafiki.Testing;

namespace Rafiki.Cli.Tests;

/// <summary>
/// A real <c>rafiki-node</c> process with every role, its HTTP API on a loopback port and a SQLite store in a
/// temporary folder, with the bootstrap admin and an app developer. The shell tests run the <c>rafiki</c> command
/// against it as another process.
/// </summary>
public sealed class ShellFixture : IAsyncLifetime, IDisposable
{
    public const string AdminPassword = "shell-admin-password-51";
    public const string AlicePassword = "shell-alice-password-52";

    private readonly TemporaryDirectory _folder = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(3) };
    private ChildProcess? _node;

    /// <summary>Base URL of the API, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>A client logged in as the bootstrap admin, to set up what the shell tests need.</summary>
    public RafikiClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort().ToString(CultureInfo.InvariantCulture);
        _node = ChildProcess.StartAssembly(
            NodeAssembly(),
            new Dictionary<string, string> { ["RAFIKI_ADMIN_PASSWORD"] = AdminPassword },
            "--roles", "master,worker,api", "--port", "0", "--http-port", port, "--data-dir", Path.Combine(_folder.Path, "node"));
        var up = await _node.WaitForOutputAsync(output => output.Contains("rafiki-node up at", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        if (!up)
        {
            throw new InvalidOperationException($"rafiki-node did not start:\n{_node.Output}");
        }

        Url = new Uri($"http://127.0.0.1:{port}/");
        _http.BaseAddress = Url;
        Admin = new RafikiClient(_http);
        await Admin.LoginAsync("admin", AdminPassword);
        await Admin.CreateUserAsync(new CreateUserRequest("alice", AlicePassword, UserRoles.AppDeveloper));
    }

    /// <summary>Returns a shell with its own credentials folder, pointed at the API through RAFIKI_URL.</summary>
    public ShellRunner NewShell() => new(Path.Combine(_folder.Path, "shells", Guid.NewGuid().ToString("N")), Url);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _node?.Dispose();
        _http.Dispose();
        _folder.Dispose();
    }

    // rafiki-node.dll in the node project's output folder of the configuration these tests were built in.
    private static string NodeAssembly()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(Fixtures.RepositoryRoot, "src", "Rafiki.Node", "bin", configuration, "net10.0", "rafiki-node.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} not found; build Rafiki.sln in {configuration} mode first.", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ShellCollection : ICollectionFixture<ShellFixture>
{
    public const string Name = "shell";
}
