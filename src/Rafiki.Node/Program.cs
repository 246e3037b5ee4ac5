using System.Collections;
using System.CommandLine;
using Microsoft.Extensions.Logging;
using Rafiki.Api;
using Rafiki.Hosting;
using Rafiki.Node;

var config = new Option<string?>("--config") { Description = "HOCON file with a rafiki section and Akka overrides (also RAFIKI_CONFIG)." };
var settingOptions = NodeSettings.Settings.ToDictionary(s => s.Option, s => new Option<string?>(s.Option) { Description = $"{s.Description} (also {s.Environment})." });
var root = new RootCommand("rafiki-node: a Rafiki cluster member. Precedence: options, then environment, then the HOCON file, then defaults.")
{
    config,
};
foreach (var option in settingOptions.Values)
{
    root.Add(option);
}

root.SetAction(async (parse, cancellationToken) =>
{
    var given = settingOptions
        .Where(pair => parse.GetResult(pair.Value) is { Implicit: false })
        .ToDictionary(pair => pair.Key, pair => parse.GetValue(pair.Value) ?? "");
    var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? "");
    var configPath = parse.GetValue(config) ?? environment.GetValueOrDefault("RAFIKI_CONFIG");

    RafikiNodeOptions options;
    try
    {
        if (configPath is not null && !File.Exists(configPath))
        {
            throw new NodeSettingsException($"config file '{configPath}' not found; check --config or RAFIKI_CONFIG.");
        }

        options = NodeSettings.Load(given, environment, configPath is null ? null : await File.ReadAllTextAsync(configPath, cancellationToken));
    }
    catch (NodeSettingsException e)
    {
        return await FailAsync(e.Message);
    }

    RafikiNode node;
    try
    {
        node = await RafikiNode.StartAsync(options, logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        }), cancellationToken);
    }
    catch (ArgumentException e)
    {
        return await FailAsync(e.Message);
    }
    catch (Exception e) when (StartupErrors.FindBindFailure(e) is { } bind)
    {
        return await FailAsync(
            $"cannot listen on {options.Hostname}:{options.Port} for cluster remoting ({bind.Message}); "
            + "stop what uses that port or choose another with --port (RAFIKI_PORT).");
    }

    await using var running = node;
    RafikiApiServer? api = null;
    if (options.Roles.Contains(NodeRoles.Api))
    {
        try
        {
            api = await RafikiApi.StartAsync(node, ApiOptions.FromEnvironment() with { Host = options.HttpHost, Port = options.HttpPort },
                logging => logging.AddSimpleConsole(console => console.SingleLine = true), cancellationToken);
        }
        catch (ArgumentException e)
        {
            return await FailAsync(e.Message);
        }
        catch (Exception e) when (StartupErrors.FindBindFailure(e) is { } bind)
        {
            return await FailAsync(
                $"cannot serve HTTP on {options.HttpHost}:{options.HttpPort} ({bind.Message}); "
                + "stop what uses that port or choose another with --http-port (RAFIKI_HTTP_PORT).");
        }
    }

    await using var httpBridge = api;
    Console.WriteLine($"rafiki-node up at {Akka.Cluster.Cluster.Get(node.System).SelfAddress} with roles {string.Join(",", options.Roles)}" +
                      (api is null ? "" : $"; HTTP bridge at {api.BaseAddress}"));

    // Runs until Ctrl+C or SIGTERM, or until the cluster downs this node and its actor system terminates.
    var terminated = node.System.WhenTerminated;
    var finished = await Task.WhenAny(terminated, Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default));
    if (finished == terminated)
    {
        await Console.Error.WriteLineAsync("rafiki-node: the actor system stopped (this node was removed from the cluster); exiting.");
        return 3;
    }

    return 0;
});
return await root.Parse(args).InvokeAsync();

// Reports a setting that stops the node at start; exit code 2 means invalid settings.
static async Task<int> FailAsync(string message)
{
    await Console.Error.WriteLineAsync($"rafiki-node: {message}");
    return 2;
}
