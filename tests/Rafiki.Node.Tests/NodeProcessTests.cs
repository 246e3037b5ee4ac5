using System.Net;
using System.Net.Sockets;
using Rafiki.Testing;

namespace Rafiki.Node.Tests;

public sealed class NodeProcessTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Api_role_serves_http_bridge()
    {
        var httpPort = FreePort();
        using var node = ChildProcess.Start(
            "rafiki-node",
            new Dictionary<string, string> { ["RAFIKI_ADMIN_PASSWORD"] = "correct horse battery staple" },
            "--roles", "master,worker,api", "--port", "0", "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data-dir", _folder.Path);

        var up = await node.WaitForOutputAsync(output => output.Contains("rafiki-node up at", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var health = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.True(up, node.Output);
        Assert.Contains($"HTTP bridge at http://127.0.0.1:{httpPort}", node.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain("correct horse battery staple", node.Output, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
