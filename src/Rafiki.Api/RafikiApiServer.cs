using Microsoft.AspNetCore.Builder;

namespace Rafiki.Api;

/// <summary>A running HTTP API; dispose stops it (the node keeps running).</summary>
public sealed class RafikiApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RafikiApiServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Address clients use, such as <c>http://127.0.0.1:8080/</c>; with port 0 it contains the port Kestrel picked.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The application's services, for hosts that embed the API.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Stops accepting requests and waits for those in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
