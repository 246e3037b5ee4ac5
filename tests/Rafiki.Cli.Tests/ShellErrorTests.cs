using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Rafiki.Cli.Shell;
using Rafiki.Hosting;

namespace Rafiki.Cli.Tests;

[Collection(ShellCollection.Name)]
public sealed class ShellErrorTests(ShellFixture fixture)
{
    [Fact]
    public async Task Wrong_password_exits_unauthorized()
    {
        var shell = fixture.NewShell();

        var login = await shell.RunAsync("login", "--user", "alice", "--password", "not-alice-password-99");

        Assert.Equal(3, login.ExitCode);
        Assert.Equal("error: Unauthorized (401): invalid user name or password.", login.Stderr.Trim());
        Assert.False(File.Exists(shell.CredentialsPath), "a failed login must not write the credentials file");
        Assert.DoesNotContain("not-alice-password-99", login.Stdout + login.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_train_job_is_named()
    {
        var shell = await LoggedInShellAsync();

        var result = await shell.RunAsync("train-jobs", "get", "train-unknown");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Not found (404): train job 'train-unknown' not found;", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Unknown_inference_job_is_named()
    {
        var shell = await LoggedInShellAsync();

        var result = await shell.RunAsync("inference-jobs", "stop", "infer-unknown");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Not found (404): inference job 'infer-unknown' not found;", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_batching_policy_is_named()
    {
        var shell = await LoggedInShellAsync();

        var result = await shell.RunAsync("inference-jobs", "create", "--train-job", "train-unknown", "--policy", "fastest");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Invalid request (400):", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("fastest", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_max_lateness_is_named()
    {
        var shell = await LoggedInShellAsync();

        var result = await shell.RunAsync("inference-jobs", "create", "--train-job", "train-unknown", "--max-late", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Invalid request (400):", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("settings.maxLateMs: 0 is invalid", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_request_names_field()
    {
        var shell = await LoggedInShellAsync();

        var result = await shell.RunAsync(
            "train-jobs", "create", "--name", "bad", "--train-dataset", "dataset-missing", "--validation-dataset", "dataset-missing",
            "--model", "no-such-model", "--max-trials", "1", "--epochs", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: Invalid request (400):", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("trainDatasetId: dataset 'dataset-missing' not found", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("models[0]: 'no-such-model' is not a model family", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_url_explains_start()
    {
        var shell = fixture.NewShell();
        var url = $"http://127.0.0.1:{ClosedPort()}/";

        var status = await shell.RunAsync("cluster", "status", "--url", url);
        var list = await shell.RunAsync("datasets", "list", "--url", url, "--token", "rft_placeholder");

        Assert.Equal(2, status.ExitCode);
        Assert.StartsWith($"error: cannot reach an api node at {url}:", status.Stderr, StringComparison.Ordinal);
        Assert.Contains("Start one with rafiki-node --roles master,worker,api", status.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, list.ExitCode);
        Assert.StartsWith($"error: cannot reach an api node at {url}:", list.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_login_exits_unauthorized()
    {
        var shell = fixture.NewShell();

        var result = await shell.RunAsync("train-jobs", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            $"error: not logged in to {fixture.Url.AbsoluteUri}; run rafiki login --url {fixture.Url.AbsoluteUri} --user NAME, or set RAFIKI_TOKEN.",
            result.Stderr.Trim());
    }

    [Fact]
    public async Task Invalid_url_is_named()
    {
        var shell = fixture.NewShell();

        var result = await shell.RunAsync("cluster", "status", "--url", "ftp://127.0.0.1/");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: URL 'ftp://127.0.0.1/' is invalid;", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_reads_password_from_stdin()
    {
        var shell = fixture.NewShell();

        var login = await shell.RunWithInputAsync(ShellFixture.AlicePassword + "\n", "login", "--user", "alice");
        var status = await shell.RunAsync("cluster", "status");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("alice (app-developer)", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_without_password_input_fails()
    {
        var shell = fixture.NewShell();

        var login = await shell.RunAsync("login", "--user", "alice");

        Assert.Equal(1, login.ExitCode);
        Assert.Equal("error: no password on standard input; send it as one line, or pass --password.", login.Stderr.Trim());
    }

    [Fact]
    public async Task Printed_token_works_as_variable()
    {
        var loginShell = fixture.NewShell();
        var login = await loginShell.RunAsync("login", "--user", "alice", "--password", ShellFixture.AlicePassword, "--print-token");
        var shell = fixture.NewShell();
        shell.Environment["RAFIKI_TOKEN"] = login.Stdout.Trim();

        var status = await shell.RunAsync("cluster", "status", "--json");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.StartsWith("rft_", login.Stdout, StringComparison.Ordinal);
        Assert.Single(login.Stdout.Trim().Split('\n'));
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("alice", status.Json.GetProperty("user").GetProperty("username").GetString());
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Readable_credentials_file_warns()
    {
        var shell = await LoggedInShellAsync();
        File.SetUnixFileMode(shell.CredentialsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await shell.RunAsync("datasets", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"warning: credentials file {shell.CredentialsPath} is readable by other users", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_login_keeps_saved_tokens()
    {
        var shell = await LoggedInShellAsync();
        var other = $"http://127.0.0.1:{ClosedPort()}/";
        var before = await File.ReadAllTextAsync(shell.CredentialsPath);

        var failed = await shell.RunAsync("login", "--url", other, "--user", "alice", "--password", ShellFixture.AlicePassword);

        Assert.Equal(2, failed.ExitCode);
        Assert.Equal(before, await File.ReadAllTextAsync(shell.CredentialsPath));
    }

    [Fact]
    public void Default_url_uses_node_http_port()
    {
        var nodeDefaults = new RafikiNodeOptions { DataDirectory = "unused" };

        var url = new Uri(ShellOptions.DefaultUrl);

        Assert.Equal(nodeDefaults.HttpHost, url.Host);
        Assert.Equal(nodeDefaults.HttpPort, url.Port);
    }

    private async Task<ShellRunner> LoggedInShellAsync()
    {
        var shell = fixture.NewShell();
        var login = await shell.RunAsync("login", "--user", "alice", "--password", ShellFixture.AlicePassword);
        Assert.True(login.ExitCode == 0, login.ToString());
        return shell;
    }

    // A port that was free a moment ago; nothing listens on it, so connecting is refused.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
