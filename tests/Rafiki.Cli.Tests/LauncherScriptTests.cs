using System.Diagnostics;
using Rafiki.Testing;

namespace Rafiki.Cli.Tests;

/// <summary>Tests of the <c>./rafiki</c> launcher script in the repository root.</summary>
public sealed class LauncherScriptTests
{
    [Fact]
    public async Task Script_ignores_generated_obj_files()
    {
        // A generated file under obj/ of a project that the command does not reference, as a solution build leaves.
        var probe = Path.Combine(Fixtures.RepositoryRoot, "src", "Rafiki.Node", "obj", "launcher-probe.g.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(probe)!);
        await File.WriteAllTextAsync(probe, "");
        try
        {
            await RunScriptAsync("--version");
            var second = await RunScriptAsync("--version");

            Assert.DoesNotContain("building the command", second, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private static async Task<string> RunScriptAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Fixtures.RepositoryRoot, "rafiki"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;
        Assert.True(process.ExitCode == 0, $"./rafiki exited with {process.ExitCode}:\n{text}");
        return text;
    }
}
