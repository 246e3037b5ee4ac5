using System.Security.Cryptography;
using System.Text;

namespace Rafiki.Api.Auth;

/// <summary>
/// Creates bearer tokens and API keys (256 random bits, base64url) and the SHA-256 digests the database stores
/// in their place, so a copy of the database contains no usable credential.
/// </summary>
public static class SecretTokens
{
    /// <summary>Prefix of bearer tokens from <c>POST /tokens</c>.</summary>
    public const string TokenPrefix = "rft_";

    /// <summary>Prefix of API keys.</summary>
    public const string ApiKeyPrefix = "rfk_";

    /// <summary>Returns a new secret with the given prefix.</summary>
    public static string New(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Returns the hex SHA-256 digest under which a secret is stored.</summary>
    public static string Digest(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
