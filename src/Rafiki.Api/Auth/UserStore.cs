using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Rafiki.Api.Data;
using Rafiki.Api.Problems;
using Rafiki.Client.Contracts;

namespace Rafiki.Api.Auth;

/// <summary>The outcome of checking a token or API key: the user, or why the credential is not accepted.</summary>
public sealed record CredentialCheck(UserView? User, string? Failure);

/// <summary>Users, bearer tokens and API keys, stored in the API database.</summary>
public sealed class UserStore
{
    private const string UserColumns = "id, username, role, created_at";

    // Verified against when the user name is unknown, so a login takes as long whether or not the user exists.
    private readonly (byte[] Salt, byte[] Hash) _dummy;
    private readonly ApiDatabase _database;
    private readonly TimeProvider _clock;
    private readonly int _iterations;

    public UserStore(ApiDatabase database, TimeProvider clock, int iterations)
    {
        _database = database;
        _clock = clock;
        _iterations = iterations;
        _dummy = PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), iterations);
    }

    /// <summary>Creates a user.</summary>
    /// <exception cref="ApiProblemException">The name is taken (409).</exception>
    public UserView CreateUser(string username, string password, string role)
    {
        var (salt, hash) = PasswordHasher.Hash(password, _iterations);
        var user = new UserView($"user-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}", username, role, Now());
        try
        {
            _database.Execute(
                "INSERT INTO users (id, username, role, password_salt, password_hash, password_iterations, created_at) " +
                "VALUES ($id, $username, $role, $salt, $hash, $iterations, $created)",
                ("$id", user.Id), ("$username", username), ("$role", role), ("$salt", salt), ("$hash", hash),
                ("$iterations", _iterations), ("$created", user.CreatedAt.ToUnixTimeMilliseconds()));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw ApiProblemException.Conflict($"username '{username}' is taken; choose another user name.");
        }

        return user;
    }

    /// <summary>Returns whether any admin exists.</summary>
    public bool AnyAdmin() =>
        _database.Query("SELECT 1 FROM users WHERE role = $role LIMIT 1", _ => true, ("$role", UserRoles.Admin)).Count > 0;

    /// <summary>Returns a user by id, or null.</summary>
    public UserView? FindUser(string id) =>
        _database.Query($"SELECT {UserColumns} FROM users WHERE id = $id", ReadUser, ("$id", id)).FirstOrDefault();

    /// <summary>Returns every user, oldest first.</summary>
    public List<UserView> ListUsers() => _database.Query($"SELECT {UserColumns} FROM users ORDER BY created_at", ReadUser);

    /// <summary>Returns the user if the password matches, otherwise null; takes about as long for unknown names.</summary>
    public UserView? CheckPassword(string username, string password)
    {
        var rows = _database.Query(
            $"SELECT {UserColumns}, password_salt, password_hash, password_iterations FROM users WHERE username = $username",
            reader => (User: ReadUser(reader), Salt: (byte[])reader[4], Hash: (byte[])reader[5], Iterations: reader.GetInt32(6)),
            ("$username", username));
        if (rows.Count == 0)
        {
            PasswordHasher.Verify(password, _dummy.Salt, _dummy.Hash, _iterations);
            return null;
        }

        var row = rows[0];
        return PasswordHasher.Verify(password, row.Salt, row.Hash, row.Iterations) ? row.User : null;
    }

    /// <summary>Issues a bearer token for the user.</summary>
    public TokenResponse IssueToken(UserView user, TimeSpan lifetime)
    {
        var token = SecretTokens.New(SecretTokens.TokenPrefix);
        var now = Now();
        var expires = now + lifetime;
        _database.Execute(
            "INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES ($hash, $user, $created, $expires)",
            ("$hash", SecretTokens.Digest(token)), ("$user", user.Id), ("$created", now.ToUnixTimeMilliseconds()),
            ("$expires", expires.ToUnixTimeMilliseconds()));
        return new TokenResponse(token, expires, user);
    }

    /// <summary>Returns the user of a bearer token, or why it is not accepted.</summary>
    public CredentialCheck CheckToken(string token)
    {
        var rows = _database.Query(
            $"SELECT {Prefixed("u")}, t.expires_at, t.revoked_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $hash",
            reader => (User: ReadUser(reader), Expires: reader.GetInt64(4), Revoked: !reader.IsDBNull(5)),
            ("$hash", SecretTokens.Digest(token)));
        if (rows.Count == 0 || rows[0].Revoked)
        {
            return new CredentialCheck(null, "the bearer token is unknown or revoked; log in again with POST /tokens.");
        }

        var expires = DateTimeOffset.FromUnixTimeMilliseconds(rows[0].Expires);
        return expires <= Now()
            ? new CredentialCheck(null, $"the bearer token expired at {expires:O}; log in again with POST /tokens.")
            : new CredentialCheck(rows[0].User, null);
    }

    /// <summary>Revokes a bearer token; returns false if it was unknown.</summary>
    public bool RevokeToken(string token) =>
        _database.Execute(
            "UPDATE tokens SET revoked_at = $now WHERE token_hash = $hash AND revoked_at IS NULL",
            ("$now", Now().ToUnixTimeMilliseconds()), ("$hash", SecretTokens.Digest(token))) > 0;

    /// <summary>Creates an API key for the user's application.</summary>
    public CreatedApiKey CreateApiKey(string userId, string name)
    {
        var secret = SecretTokens.New(SecretTokens.ApiKeyPrefix);
        var key = new ApiKeyView($"key-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}", name, Now(), null);
        _database.Execute(
            "INSERT INTO api_keys (id, key_hash, user_id, name, created_at) VALUES ($id, $hash, $user, $name, $created)",
            ("$id", key.Id), ("$hash", SecretTokens.Digest(secret)), ("$user", userId), ("$name", name),
            ("$created", key.CreatedAt.ToUnixTimeMilliseconds()));
        return new CreatedApiKey(key, secret);
    }

    /// <summary>Returns the user of an API key, or why it is not accepted.</summary>
    public CredentialCheck CheckApiKey(string secret)
    {
        var rows = _database.Query(
            $"SELECT {Prefixed("u")}, k.revoked_at FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $hash",
            reader => (User: ReadUser(reader), Revoked: !reader.IsDBNull(4)),
            ("$hash", SecretTokens.Digest(secret)));
        return rows.Count == 0 || rows[0].Revoked
            ? new CredentialCheck(null, "the API key is unknown or revoked; create a new one with POST /api-keys.")
            : new CredentialCheck(rows[0].User, null);
    }

    /// <summary>Lists a user's API keys, oldest first.</summary>
    public List<ApiKeyView> ListApiKeys(string userId) =>
        _database.Query(
            "SELECT id, name, created_at, revoked_at FROM api_keys WHERE user_id = $user ORDER BY created_at",
            reader => new ApiKeyView(
                reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                ApiDatabase.TimeOrNull(reader, 3)),
            ("$user", userId));

    /// <summary>Revokes one of a user's API keys; returns false if the user has no such key.</summary>
    public bool RevokeApiKey(string userId, string keyId) =>
        _database.Execute(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $now) WHERE id = $id AND user_id = $user",
            ("$now", Now().ToUnixTimeMilliseconds()), ("$id", keyId), ("$user", userId)) > 0;

    private static string Prefixed(string table) =>
        string.Join(", ", UserColumns.Split(", ").Select(column => $"{table}.{column}"));

    private static UserView ReadUser(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));

    private DateTimeOffset Now() => _clock.GetUtcNow();
}
