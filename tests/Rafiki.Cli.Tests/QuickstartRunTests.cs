using System.Text.Json;
using Rafiki.Testing;

namespace Rafiki.Cli.Tests;

public sealed class QuickstartRunTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Second_run_reuses_data_and_lists_first_study()
    {
        var dataDirectory = Path.Combine(_folder.Path, "data");
        var firstJson = Path.Combine(_folder.Path, "first.json");
        var secondJson = Path.Combine(_folder.Path, "second.json");

        var first = await RunAsync(dataDirectory, firstJson);
        var second = await RunAsync(dataDirectory, secondJson);

        var firstSummary = JsonDocument.Parse(await File.ReadAllTextAsync(firstJson)).RootElement;
        var secondSummary = JsonDocument.Parse(await File.ReadAllTextAsync(secondJson)).RootElement;
        var firstStudy = firstSummary.GetProperty("studyId").GetString();
        Assert.Contains("Importing Fashion-MNIST", first, StringComparison.Ordinal);
        Assert.Contains("Reusing Fashion-MNIST from the dataset store", second, StringComparison.Ordinal);
        Assert.Contains(firstStudy!, second, StringComparison.Ordinal);
        Assert.NotEqual(firstStudy, secondSummary.GetProperty("studyId").GetString());
        Assert.Equal([firstStudy], secondSummary.GetProperty("earlierStudies").EnumerateArray().Select(e => e.GetString()));
        Assert.Single(
            Directory.GetFiles(Path.Combine(dataDirectory, "datasets"), "dataset.json", SearchOption.AllDirectories),
            path => File.ReadAllText(path).Contains("\"fashion-mnist-test@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Summary_has_documented_fields()
    {
        var json = Path.Combine(_folder.Path, "summary.json");

        await RunAsync(Path.Combine(_folder.Path, "data"), json);

        var summary = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement;
        var trial = summary.GetProperty("trials")[0];
        foreach (var field in new[] { "id", "model", "knobs", "state", "epochs", "valAccuracy" })
        {
            Assert.True(trial.TryGetProperty(field, out _), $"trial lacks '{field}'");
        }

        foreach (var field in new[] { "trialId", "model", "valAccuracy" })
        {
            Assert.True(summary.GetProperty("best").TryGetProperty(field, out _), $"best lacks '{field}'");
        }

        foreach (var field in new[] { "requests", "p50Ms", "p99Ms", "throughputPerSec" })
        {
            Assert.True(summary.GetProperty("inference").TryGetProperty(field, out _), $"inference lacks '{field}'");
        }

        Assert.Equal(400, summary.GetProperty("inference").GetProperty("requests").GetInt32());
        Assert.InRange(summary.GetProperty("testAccuracy").GetDouble(), 0.15, 1.0); // chance is 0.1
    }

    [Fact]
    public async Task Missing_dataset_folder_explains_install()
    {
        using var run = ChildProcess.Start("rafiki", "quickstart", "--data-dir", Path.Combine(_folder.Path, "data"), "--fashion-mnist", "/nonexistent/fashion");

        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, exitCode);
        Assert.Contains("Fashion-MNIST not found in /nonexistent/fashion", run.Output, StringComparison.Ordinal);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-trials", "0", "--max-trials 0 is invalid; use 1 or more.")]
    [InlineData("--epochs", "-2", "--epochs -2 is invalid; use 1 or more.")]
    [InlineData("--parallel", "0", "--parallel 0 is invalid; use 1 or more.")]
    [InlineData("--device", "cuda:x", "--device: device 'cuda:x' is invalid; the part after 'cuda:' must be a device number.")]
    [InlineData("--time-limit", "-5", "--time-limit -5 is invalid")]
    [InlineData("--json", "/nonexistent/rafiki/summary.json", "--json /nonexistent/rafiki/summary.json is invalid")]
    public async Task Invalid_option_is_named(string option, string value, string expected)
    {
        using var run = ChildProcess.Start("rafiki", "quickstart", "--data-dir", Path.Combine(_folder.Path, "data"), option, value);

        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_dir_file_is_rejected()
    {
        var file = Path.Combine(_folder.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "");
        using var run = ChildProcess.Start("rafiki", "quickstart", "--data-dir", file);

        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, exitCode);
        Assert.Contains($"--data-dir {file} is a file, not a folder", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string dataDirectory, string json)
    {
        using var run = ChildProcess.Start("rafiki",
            "quickstart", "--data-dir", dataDirectory, "--fashion-mnist", Fixtures.FashionMnist, "--max-trials", "2", "--epochs", "1",
            "--json", json);
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, $"quickstart exited with {exitCode}:\n{run.Output}");
        return run.Output;
    }
}
