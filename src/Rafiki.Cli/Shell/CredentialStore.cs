using System.Text.Json;

namespace Rafiki.Cli.Shell;

/// <summary>A token that <c>rafiki login</c> saved for one api node.</summary>
/// <param name="Username">User the token belongs to.</param>
/// <param name="Token">Bearer token; a secret, never printed.</param>
/// <param name="ExpiresAt">UTC time after which the API rejects the token.</param>
public sealed record SavedLogin(string Username, string Token, DateTimeOffset ExpiresAt);

/// <summary>Contents of the credentials file.</summary>
/// <param name="CurrentUrl">URL of the latest login; commands use it when neither --url nor RAFIKI_URL is given.</param>
/// <param name="Logins">Saved tokens by api node URL (with a trailing slash).</param>
public sealed record SavedCredentials(string? CurrentUrl, IReadOnlyDictionary<string, SavedLogin> Logins)
{
    /// <summary>No saved logins.</summary>
    public static SavedCredentials Empty { get; } = new(null, new Dictionary<string, SavedLogin>());
}

/// <summary>
/// The user's credentials file: JSON readable and writable by the user alone (mode 0600, in a folder of mode 0700
/// when the store creates it). It lives in <c>$XDG_CONFIG_HOME/rafiki/credentials</c>, or
/// <c>~/.config/rafiki/credentials</c> when XDG_CONFIG_HOME is unset.
/// </summary>
public sealed class CredentialStore(string path)
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;

    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Absolute path of the file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Returns the store at the default path.</summary>
    public static CredentialStore Default()
    {
        var configHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return new CredentialStore(System.IO.Path.Combine(configHome, "rafiki", "credentials"));
    }

    /// <summary>Reads the file; returns <see cref="SavedCredentials.Empty"/> when it does not exist.</summary>
    /// <exception cref="ShellException">The file is not the JSON this store writes, or cannot be read.</exception>
    public SavedCredentials Load()
    {
        if (!File.Exists(Path))
        {
            return SavedCredentials.Empty;
        }

        try
        {
            var text = File.ReadAllText(Path);
            return JsonSerializer.Deserialize<SavedCredentials>(text, FileJson) ?? SavedCredentials.Empty;
        }
        catch (JsonException e)
        {
            throw new ShellException($"credentials file {Path} is invalid ({e.Message}); delete it and log in again.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ShellException($"cannot read credentials file {Path}: {e.Message}");
        }
    }

    /// <summary>
    /// Returns whether users other than the owner may read the file. It is false on Windows, because Unix modes do
    /// not apply there, and when the file does not exist.
    /// </summary>
    public bool IsReadableByOthers()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        if (!File.Exists(Path))
        {
            return false;
        }

        var mode = File.GetUnixFileMode(Path);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;
    }

    /// <summary>Replaces the file: writes a new file of mode 0600 beside it and renames it over the old one.</summary>
    /// <exception cref="ShellException">The folder or file cannot be written.</exception>
    public void Save(SavedCredentials credentials)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var temporary = $"{Path}.{Environment.ProcessId}.tmp";
        try
        {
            CreateFolder(folder);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var file = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(file, credentials, FileJson);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteIfPresent(temporary);
            throw new ShellException($"cannot write credentials file {Path}: {e.Message}");
        }
    }

    private static void DeleteIfPresent(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write failed before the file existed, or its folder is not writable; nothing to clean up.
        }
    }

    private static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }
    }
}
