using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Rafiki.Cli.Tests;

/// <summary>The result of one <c>rafiki</c> run.</summary>
public sealed record ShellResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output parsed as JSON, for commands run with --json.</summary>
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    /// <summary>Both streams, for failure messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Runs the built <c>rafiki</c> command as a separate process with its own XDG_CONFIG_HOME, so every shell has its own
/// credentials file, and with RAFIKI_URL set to one api node. Standard output and error are kept apart.
/// </summary>
public sealed class ShellRunner(string home, Uri url)
{
    /// <summary>Folder given as XDG_CONFIG_HOME.</summary>
    public string ConfigHome { get; } = Path.Combine(home, "config");

    /// <summary>Path of the credentials file that rafiki login writes.</summary>
    public string CredentialsPath => Path.Combine(ConfigHome, "rafiki", "credentials");

    /// <summary>Extra environment variables of the following runs; they replace the defaults of the same name.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs <c>rafiki</c> with the arguments and an empty standard input.</summary>
    public Task<ShellResult> RunAsync(params string[] arguments) => RunWithInputAsync("", arguments);

    /// <summary>Runs <c>rafiki</c> with the arguments, writing <paramref name="input"/> to its standard input.</summary>
    public async Task<ShellResult> RunWithInputAsync(string input, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rafiki.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Empty values count as unset, so settings of the machine that runs the tests cannot leak in.
        start.Environment["XDG_CONFIG_HOME"] = ConfigHome;
        start.Environment["RAFIKI_URL"] = url.AbsoluteUri;
        start.Environment["RAFIKI_TOKEN"] = "";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rafiki {string.Join(' ', arguments)} did not exit within 6 minutes.");
        }

        return new ShellResult(process.ExitCode, await stdout, await stderr);
    }
}
