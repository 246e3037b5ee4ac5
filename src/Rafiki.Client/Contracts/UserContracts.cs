namespace Rafiki.Client.Contracts;

/// <summary>Role names of API users.</summary>
public static class UserRoles
{
    /// <summary>Manages users and sees every dataset and job.</summary>
    public const string Admin = "admin";

    /// <summary>Reads the model zoo and tunes models: datasets and train jobs, but no inference jobs.</summary>
    public const string ModelDeveloper = "model-developer";

    /// <summary>Builds applications: datasets, train jobs, inference jobs, predictions and API keys.</summary>
    public const string AppDeveloper = "app-developer";

    /// <summary>Every role.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, ModelDeveloper, AppDeveloper];
}

/// <summary>Body of <c>POST /tokens</c>: log in with a user name and password.</summary>
/// <param name="Username">User name.</param>
/// <param name="Password">Password.</param>
/// <param name="LifetimeSeconds">Requested token lifetime; the server caps it at its maximum. Null for the default.</param>
public sealed record LoginRequest(string? Username, string? Password, int? LifetimeSeconds = null);

/// <summary>A bearer token and when it expires.</summary>
/// <param name="Token">Value for the <c>Authorization: Bearer</c> header; shown only once.</param>
/// <param name="ExpiresAt">UTC time after which the server rejects the token.</param>
/// <param name="User">The user the token belongs to.</param>
public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt, UserView User);

/// <summary>Body of <c>POST /users</c> (admin only).</summary>
/// <param name="Username">Unique user name: 3 to 64 letters, digits, dots, dashes or underscores.</param>
/// <param name="Password">Password of 12 to 256 characters.</param>
/// <param name="Role">One of <see cref="UserRoles.All"/>.</param>
public sealed record CreateUserRequest(string? Username, string? Password, string? Role);

/// <summary>A user as the API shows it; the password hash never leaves the server.</summary>
public sealed record UserView(string Id, string Username, string Role, DateTimeOffset CreatedAt);

/// <summary>Body of <c>POST /api-keys</c>: a key for one application.</summary>
/// <param name="Name">Name of the application, 1 to 100 characters.</param>
public sealed record CreateApiKeyRequest(string? Name);

/// <summary>An API key without its secret.</summary>
public sealed record ApiKeyView(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A new API key with its secret, which the server shows only in this response.</summary>
/// <param name="Key">The key's metadata.</param>
/// <param name="Secret">Value for the <c>X-Api-Key</c> header or <c>Authorization: Bearer</c>.</param>
public sealed record CreatedApiKey(ApiKeyView Key, string Secret);
