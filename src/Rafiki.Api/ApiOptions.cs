using System.Net;

namespace Rafiki.Api;

/// <summary>Settings of the HTTP API of a node.</summary>
public sealed record ApiOptions
{
    /// <summary>Environment variable that contains the bootstrap admin's password.</summary>
    public const string AdminPasswordVariable = "RAFIKI_ADMIN_PASSWORD";

    /// <summary>Address Kestrel binds to; loopback unless set, so the API is not reachable from other hosts by accident.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="RafikiApiServer.BaseAddress"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>SQLite file of users, tokens, API keys and job owners; default <c>api.db</c> in the node's data folder.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>User name of the admin created on first start.</summary>
    public string BootstrapAdminUsername { get; init; } = "admin";

    /// <summary>
    /// Password of the admin created on first start, when no admin exists yet; <see cref="FromEnvironment"/> reads it
    /// from <see cref="AdminPasswordVariable"/>. Null creates no admin. It is never logged.
    /// </summary>
    public string? BootstrapAdminPassword { get; init; }

    /// <summary>Lifetime of a token from <c>POST /tokens</c> unless the request sets a shorter one.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>PBKDF2-SHA256 iterations for new password hashes; stored per user, so raising it keeps old hashes valid.</summary>
    public int PasswordIterations { get; init; } = 600_000;

    /// <summary>Largest request body of a dataset upload, in bytes.</summary>
    public long MaxUploadBytes { get; init; } = 512L << 20;

    /// <summary>Maximum number of files in one dataset upload (an IDX upload needs two).</summary>
    public int MaxUploadFiles { get; init; } = 2;

    /// <summary>Largest body of every other request, in bytes.</summary>
    public long MaxRequestBytes { get; init; } = 32L << 20;

    /// <summary>Maximum number of entries in an image zip.</summary>
    public int MaxArchiveEntries { get; init; } = 200_000;

    /// <summary>Maximum bytes an upload may expand to once decompressed (zip entries, gzipped IDX files).</summary>
    public long MaxUncompressedBytes { get; init; } = 2L << 30;

    /// <summary>Highest ratio of decompressed to compressed size of one zip entry or gzip file.</summary>
    public double MaxCompressionRatio { get; init; } = 200;

    /// <summary>Longest side of an uploaded image, in pixels.</summary>
    public int MaxImageSide { get; init; } = 4096;

    /// <summary>Maximum number of texts in an uploaded text dataset.</summary>
    public int MaxTextRows { get; init; } = 1_000_000;

    /// <summary>Maximum length of one uploaded text, in characters.</summary>
    public int MaxTextLength { get; init; } = 100_000;

    /// <summary>Maximum number of images in one predict or KServe infer request.</summary>
    public int MaxPredictQueries { get; init; } = 256;

    /// <summary>How long a prediction may take before the request fails with 504.</summary>
    public TimeSpan PredictTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long deploying an inference job may take (loading and warming every model).</summary>
    public TimeSpan DeployTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long any other question to the actors may take.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Seconds a client should wait after a 429 (queue full) before it retries.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Clock for token expiry; tests replace it.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Returns the defaults with the bootstrap admin password from <c>RAFIKI_ADMIN_PASSWORD</c>. rafiki-node sets the
    /// host and port from its own settings (<c>RAFIKI_HTTP_HOST</c>, <c>RAFIKI_HTTP_PORT</c> and their options).
    /// </summary>
    public static ApiOptions FromEnvironment() =>
        new() { BootstrapAdminPassword = Environment.GetEnvironmentVariable(AdminPasswordVariable) };

    /// <summary>Returns every invalid setting, each naming the setting, the value and the fix; empty if valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!IPAddress.TryParse(Host, out _) && Host != "localhost")
        {
            problems.Add($"host: '{Host}' is not an IP address; use 127.0.0.1, ::1, 0.0.0.0 or another address of this machine.");
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add($"port: {Port} is invalid; use 0 (any free port) to 65535.");
        }

        if (BootstrapAdminPassword is { Length: < PasswordRules.MinLength })
        {
            problems.Add($"bootstrapAdminPassword: shorter than {PasswordRules.MinLength} characters; set a longer {AdminPasswordVariable}.");
        }

        if (TokenLifetime <= TimeSpan.Zero)
        {
            problems.Add($"tokenLifetime: {TokenLifetime} is invalid; use a positive duration.");
        }

        if (PasswordIterations < 10_000)
        {
            problems.Add($"passwordIterations: {PasswordIterations} is too few; use 10000 or more (600000 is the default).");
        }

        RequirePositive(problems, "maxUploadBytes", MaxUploadBytes);
        RequirePositive(problems, "maxUploadFiles", MaxUploadFiles);
        RequirePositive(problems, "maxRequestBytes", MaxRequestBytes);
        RequirePositive(problems, "maxArchiveEntries", MaxArchiveEntries);
        RequirePositive(problems, "maxUncompressedBytes", MaxUncompressedBytes);
        RequirePositive(problems, "maxImageSide", MaxImageSide);
        RequirePositive(problems, "maxTextRows", MaxTextRows);
        RequirePositive(problems, "maxTextLength", MaxTextLength);
        RequirePositive(problems, "maxPredictQueries", MaxPredictQueries);
        if (MaxCompressionRatio < 1 || !double.IsFinite(MaxCompressionRatio))
        {
            problems.Add($"maxCompressionRatio: {MaxCompressionRatio} is invalid; use 1 or more.");
        }

        return problems;
    }

    private static void RequirePositive(List<string> problems, string name, long value)
    {
        if (value < 1)
        {
            problems.Add($"{name}: {value} is invalid; use 1 or more.");
        }
    }
}
