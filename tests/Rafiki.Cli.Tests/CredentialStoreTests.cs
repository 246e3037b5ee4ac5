using System.Runtime.Versioning;
using Rafiki.Cli.Shell;
using Rafiki.Testing;

namespace Rafiki.Cli.Tests;

// The store sets Unix file modes, which Windows does not have.
[UnsupportedOSPlatform("windows")]
public sealed class CredentialStoreTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Saved_file_is_owner_only()
    {
        var store = new CredentialStore(Path.Combine(_folder.Path, "config", "rafiki", "credentials"));
        var login = new SavedLogin("alice", "rft_secret", DateTimeOffset.UnixEpoch.AddDays(20_000));

        store.Save(new SavedCredentials("http://127.0.0.1:8080/", new Dictionary<string, SavedLogin> { ["http://127.0.0.1:8080/"] = login }));
        var loaded = store.Load();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(store.Path)!));
        Assert.False(store.IsReadableByOthers());
        Assert.Equal("http://127.0.0.1:8080/", loaded.CurrentUrl);
        Assert.Equal(login, loaded.Logins["http://127.0.0.1:8080/"]);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(store.Path)!));
    }

    [Fact]
    public void Missing_file_loads_empty()
    {
        var store = new CredentialStore(Path.Combine(_folder.Path, "absent", "credentials"));

        var loaded = store.Load();

        Assert.Null(loaded.CurrentUrl);
        Assert.Empty(loaded.Logins);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "absent")));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"currentUrl\": \"http://127.0.0.1:8080/\"}")]
    public void Invalid_file_names_path(string content)
    {
        var path = Path.Combine(_folder.Path, "credentials");
        File.WriteAllText(path, content);

        var error = Assert.Throws<ShellException>(() => new CredentialStore(path).Load());

        Assert.StartsWith($"credentials file {path} is invalid", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("delete it and log in again.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://node-1:9000/rafiki", "http://node-1:9000/rafiki/")]
    [InlineData("https://rafiki.example:443/", "https://rafiki.example/")]
    public void Url_gets_trailing_slash(string text, string expected)
    {
        Assert.Equal(expected, ShellSession.ParseUrl(text).AbsoluteUri);
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("not a url")]
    public void Invalid_url_is_rejected(string text)
    {
        var error = Assert.Throws<ShellException>(() => ShellSession.ParseUrl(text));

        Assert.StartsWith($"URL '{text}' is invalid;", error.Message, StringComparison.Ordinal);
    }
}
