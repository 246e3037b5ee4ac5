using System.Runtime.Versioning;
using System.Text.Json;
using Rafiki.Storage.Datasets;
using Rafiki.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Rafiki.Cli.Tests;

[Collection(ShellCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class ShellEndToEndTests(ShellFixture fixture) : IDisposable
{
    private static readonly string TrainImages = Fixtures.PathOf("fashion-mnist/train-images-idx3-ubyte.gz");
    private static readonly string TrainLabels = Fixtures.PathOf("fashion-mnist/train-labels-idx1-ubyte.gz");
    private static readonly string TestImages = Fixtures.PathOf("fashion-mnist/t10k-images-idx3-ubyte.gz");
    private static readonly string TestLabels = Fixtures.PathOf("fashion-mnist/t10k-labels-idx1-ubyte.gz");

    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Shell_trains_deploys_and_predicts()
    {
        var shell = fixture.NewShell();

        // Log in: the token goes to the credentials file, never to the output.
        var login = await shell.RunAsync("login", "--user", "alice", "--password", ShellFixture.AlicePassword);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Logged in to", login.Stdout, StringComparison.Ordinal);
        var saved = JsonDocument.Parse(await File.ReadAllTextAsync(shell.CredentialsPath)).RootElement;
        var savedLogin = saved.GetProperty("logins").GetProperty(fixture.Url.AbsoluteUri);
        var token = savedLogin.GetProperty("token").GetString()!;
        Assert.Equal("alice", savedLogin.GetProperty("username").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(shell.CredentialsPath));
        Assert.DoesNotContain(token, login.Stdout + login.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(ShellFixture.AlicePassword, login.Stdout + login.Stderr, StringComparison.Ordinal);

        var status = await shell.RunAsync("cluster", "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.True(status.Json.GetProperty("healthy").GetBoolean());
        Assert.Equal("alice", status.Json.GetProperty("user").GetProperty("username").GetString());

        var models = await shell.RunAsync("models", "--json");
        Assert.True(models.ExitCode == 0, models.ToString());
        Assert.Contains(models.Json.EnumerateArray(), family => family.GetProperty("name").GetString() == "small-cnn");

        // Datasets: the train split as IDX, the test split as IDX, both listed.
        var train = await shell.RunAsync("datasets", "upload", "shell-train", TrainImages, TrainLabels, "--json");
        Assert.True(train.ExitCode == 0, train.ToString());
        var trainId = train.Json.GetProperty("id").GetString()!;
        Assert.Equal(1200, train.Json.GetProperty("count").GetInt32());
        var validation = await shell.RunAsync("datasets", "upload", "shell-validation", TestImages, TestLabels, "--format", "idx", "--json");
        Assert.True(validation.ExitCode == 0, validation.ToString());
        var validationId = validation.Json.GetProperty("id").GetString()!;

        var datasets = await shell.RunAsync("datasets", "list");
        Assert.True(datasets.ExitCode == 0, datasets.ToString());
        Assert.Contains(trainId, datasets.Stdout, StringComparison.Ordinal);
        Assert.Contains(validationId, datasets.Stdout, StringComparison.Ordinal);

        // A tiny train job with CoStudy on, followed until it ends.
        var created = await shell.RunAsync(
            "train-jobs", "create", "--name", "shell-job", "--train-dataset", trainId, "--validation-dataset", validationId,
            "--model", "small-cnn", "--max-trials", "2", "--epochs", "1", "--seed", "3", "--costudy", "on",
            "--knobs", "{\"small-cnn\": {\"optimizer\": [\"adam\"]}}", "--wait", "--timeout", "300", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var trainJob = created.Json;
        var trainJobId = trainJob.GetProperty("id").GetString()!;
        Assert.Equal("completed", trainJob.GetProperty("state").GetString());
        Assert.True(trainJob.GetProperty("costudy").GetBoolean());
        Assert.Equal(2, trainJob.GetProperty("trials").GetArrayLength());

        var jobs = await shell.RunAsync("train-jobs", "list");
        Assert.True(jobs.ExitCode == 0, jobs.ToString());
        Assert.Contains(trainJobId, jobs.Stdout, StringComparison.Ordinal);
        Assert.Contains("completed", jobs.Stdout, StringComparison.Ordinal);

        // Trials: knobs, state, epochs, accuracy and warm-start lineage.
        var trials = await shell.RunAsync("trials", trainJobId, "--json");
        Assert.True(trials.ExitCode == 0, trials.ToString());
        var trialList = trials.Json.EnumerateArray().ToList();
        Assert.Equal(2, trialList.Count);
        Assert.All(trialList, trial => Assert.Equal("completed", trial.GetProperty("state").GetString()));
        Assert.All(trialList, trial => Assert.Equal(1, trial.GetProperty("epochs").GetInt32()));
        Assert.All(trialList, trial => Assert.Equal("adam", trial.GetProperty("knobs").GetProperty("optimizer").GetString()));
        Assert.False(trialList[0].TryGetProperty("warmStartFrom", out _), "the first trial has nothing to warm-start from");
        if (trialList[1].TryGetProperty("warmStartFrom", out var from))
        {
            Assert.Equal(trialList[0].GetProperty("id").GetString(), from.GetString());
        }

        var trialTable = await shell.RunAsync("trials", trainJobId);
        Assert.True(trialTable.ExitCode == 0, trialTable.ToString());
        Assert.Contains("Warm start", trialTable.Stdout, StringComparison.Ordinal);
        Assert.Contains(trialList[0].GetProperty("id").GetString()!, trialTable.Stdout, StringComparison.Ordinal);

        // Deploy the best trial and predict from the IDX test file with its labels.
        var deployed = await shell.RunAsync(
            "inference-jobs", "create", "--train-job", trainJobId, "--max-batch-size", "16", "--tau-ms", "5000", "--policy", "aimd",
            "--overdue", "reject", "--max-late-ms", "750", "--json");
        Assert.True(deployed.ExitCode == 0, deployed.ToString());
        var inferenceJobId = deployed.Json.GetProperty("id").GetString()!;
        Assert.Equal("running", deployed.Json.GetProperty("state").GetString());
        var settings = deployed.Json.GetProperty("settings");
        Assert.Equal(16, settings.GetProperty("maxBatchSize").GetInt32());
        Assert.Equal(5000, settings.GetProperty("tauMs").GetDouble());
        Assert.Equal("aimd", settings.GetProperty("policy").GetString());
        Assert.Equal("reject", settings.GetProperty("overdueAction").GetString());
        Assert.Equal(750, settings.GetProperty("maxLateMs").GetDouble());

        var predicted = await shell.RunAsync(
            "predict", inferenceJobId, "--idx", TestImages, "--labels", TestLabels, "--count", "100", "--batch-size", "30", "--json");
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        var predictions = predicted.Json.EnumerateArray().ToList();
        var expected = IdxFormat.Read(TestImages, TestLabels).Labels;
        Assert.Equal(100, predictions.Count);
        Assert.Equal("t10k-images-idx3-ubyte.gz[99]", predictions[99].GetProperty("input").GetString());
        Assert.All(predictions, line => Assert.Equal(10, line.GetProperty("probabilities").GetArrayLength()));
        Assert.Equal(expected.Take(100), predictions.Select(line => line.GetProperty("expected").GetInt32()));
        var correct = predictions.Count(line => line.GetProperty("label").GetInt32() == line.GetProperty("expected").GetInt32());
        Assert.InRange(correct, 15, 100); // chance is 10 of 100

        var predictedTable = await shell.RunAsync("predict", inferenceJobId, "--idx", TestImages, "--labels", TestLabels, "--count", "100");
        Assert.True(predictedTable.ExitCode == 0, predictedTable.ToString());
        Assert.Contains($"Accuracy {correct / 100.0:F4} on 100 images ({correct} correct).", predictedTable.Stdout, StringComparison.Ordinal);

        // A PNG file of the first test image gets the same prediction as its raw pixels from the IDX file.
        var png = Path.Combine(_folder.Path, "first.png");
        WritePng(png, 0);
        var fromPng = await shell.RunAsync("predict", inferenceJobId, png, "--json");
        Assert.True(fromPng.ExitCode == 0, fromPng.ToString());
        Assert.Equal("first.png", fromPng.Json[0].GetProperty("input").GetString());
        Assert.Equal(predictions[0].GetProperty("label").GetInt32(), fromPng.Json[0].GetProperty("label").GetInt32());

        // An invalid image is named by its file, not by its place in the request.
        var garbage = Path.Combine(_folder.Path, "garbage.bin");
        await File.WriteAllBytesAsync(garbage, [1, 2, 3]);
        var invalid = await shell.RunAsync("predict", inferenceJobId, png, garbage);
        Assert.Equal(1, invalid.ExitCode);
        Assert.StartsWith(
            "error: Invalid request (400): garbage.bin: contains 3 bytes, which are neither the raw pixels", invalid.Stderr, StringComparison.Ordinal);

        var inferenceJob = await shell.RunAsync("inference-jobs", "get", inferenceJobId, "--json");
        Assert.True(inferenceJob.ExitCode == 0, inferenceJob.ToString());
        Assert.Equal(201, inferenceJob.Json.GetProperty("statistics").GetProperty("answered").GetInt64());

        var listed = await shell.RunAsync("inference-jobs", "list");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(inferenceJobId, listed.Stdout, StringComparison.Ordinal);

        // Stop it; predictions are then rejected with a clear message.
        var stopped = await shell.RunAsync("inference-jobs", "stop", inferenceJobId, "--json");
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Equal("stopped", stopped.Json.GetProperty("state").GetString());
        var afterStop = await shell.RunAsync("predict", inferenceJobId, png);
        Assert.Equal(1, afterStop.ExitCode);
        Assert.StartsWith($"error: Conflict (409): inference job '{inferenceJobId}' stopped at", afterStop.Stderr, StringComparison.Ordinal);

        // A dataset no running train job uses can be deleted.
        var spare = await shell.RunAsync("datasets", "upload", "shell-spare", TestImages, TestLabels, "--json");
        var spareId = spare.Json.GetProperty("id").GetString()!;
        var deleted = await shell.RunAsync("datasets", "delete", spareId);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains($"Deleted dataset {spareId}.", deleted.Stdout, StringComparison.Ordinal);
        var afterDelete = await shell.RunAsync("datasets", "list", "--json");
        Assert.DoesNotContain(afterDelete.Json.EnumerateArray(), dataset => dataset.GetProperty("id").GetString() == spareId);

        // Log out: the token is revoked and removed, so commands fail until the user logs in again.
        var logout = await shell.RunAsync("logout");
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(shell.CredentialsPath), StringComparison.Ordinal);
        var revoked = await shell.RunAsync("datasets", "list", "--token", token);
        Assert.Equal(3, revoked.ExitCode);
        Assert.StartsWith("error: Unauthorized (401):", revoked.Stderr, StringComparison.Ordinal);
        var loggedOut = await shell.RunAsync("datasets", "list");
        Assert.Equal(3, loggedOut.ExitCode);
        Assert.StartsWith($"error: not logged in to {fixture.Url.AbsoluteUri}", loggedOut.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_job_stops_midway()
    {
        // This shell has no credentials file: its token comes from RAFIKI_TOKEN.
        var shell = fixture.NewShell();
        shell.Environment["RAFIKI_TOKEN"] = (await LoginAsync(fixture.NewShell())).GetProperty("token").GetString()!;
        var trainUpload = await shell.RunAsync("datasets", "upload", "stop-train", TrainImages, TrainLabels, "--json");
        var validationUpload = await shell.RunAsync("datasets", "upload", "stop-validation", TestImages, TestLabels, "--json");
        var train = trainUpload.Json.GetProperty("id").GetString()!;
        var validation = validationUpload.Json.GetProperty("id").GetString()!;

        var created = await shell.RunAsync(
            "train-jobs", "create", "--name", "long-job", "--train-dataset", train, "--validation-dataset", validation,
            "--model", "small-cnn", "--max-trials", "20", "--epochs", "20", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var jobId = created.Json.GetProperty("id").GetString()!;
        Assert.Equal("running", created.Json.GetProperty("state").GetString());

        var inUse = await shell.RunAsync("datasets", "delete", train);
        Assert.Equal(1, inUse.ExitCode);
        Assert.StartsWith(
            $"error: Conflict (409): dataset '{train}' is in use by the running train job '{jobId}'", inUse.Stderr, StringComparison.Ordinal);

        var stopped = await shell.RunAsync("train-jobs", "stop", jobId);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        var waited = await shell.RunAsync("train-jobs", "wait", jobId, "--timeout", "120", "--json");
        Assert.True(waited.ExitCode == 0, waited.ToString());
        Assert.Equal("stopped", waited.Json.GetProperty("state").GetString());
        Assert.True(waited.Json.GetProperty("trials").GetArrayLength() < 20);

        var shown = await shell.RunAsync("train-jobs", "get", jobId);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("20 trials of 20 epochs", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("stopped", shown.Stdout, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> LoginAsync(ShellRunner shell)
    {
        var login = await shell.RunAsync("login", "--user", "alice", "--password", ShellFixture.AlicePassword, "--json");
        Assert.True(login.ExitCode == 0, login.ToString());
        return JsonDocument.Parse(await File.ReadAllTextAsync(shell.CredentialsPath)).RootElement
            .GetProperty("logins").EnumerateObject().Single().Value;
    }

    private static void WritePng(string path, int index)
    {
        var images = IdxFormat.Read(TestImages, TestLabels);
        using var image = Image.LoadPixelData<L8>(images.Image(index), images.Width, images.Height);
        image.SaveAsPng(path);
    }
}
