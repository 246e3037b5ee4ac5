using System.Diagnostics;
using System.Text.Json;

namespace Rafiki.Bench.Tuning;

/// <summary>Runs bench/optuna_bench.py in the background and collects its regrets per function and sampler.</summary>
public sealed class OptunaRunner
{
    /// <summary>Debian's interpreter, whose module path contains the python3-optuna package.</summary>
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly Task<string> _output;

    private OptunaRunner(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>Starts the script for the given budget; it runs while the C# advisors run.</summary>
    public static OptunaRunner Start(string script, int trials, int seeds, IEnumerable<string> functions)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        string[] arguments =
            [script, "--trials", $"{trials}", "--seeds", $"{seeds}", "--functions", string.Join(",", functions)];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)
            ?? throw new InvalidOperationException($"failed to start {Python} {script}; install python3-optuna.");
        return new OptunaRunner(process);
    }

    /// <summary>Waits for the script and returns the regrets of each seed by (function, sampler).</summary>
    /// <exception cref="InvalidOperationException">The script exited with an error.</exception>
    public async Task<Dictionary<(string Function, string Sampler), double[]>> ResultsAsync()
    {
        var output = await _output.ConfigureAwait(false);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"the Optuna script exited with code {_process.ExitCode}; its error output is above.");
        }

        var results = new Dictionary<(string, string), double[]>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            results[(root.GetProperty("function").GetString()!, root.GetProperty("sampler").GetString()!)] =
                [.. root.GetProperty("regrets").EnumerateArray().Select(value => value.GetDouble())];
        }

        return results;
    }
}
