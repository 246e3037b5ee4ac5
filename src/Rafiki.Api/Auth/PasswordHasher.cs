using System.Security.Cryptography;
using System.Text;

namespace Rafiki.Api.Auth;

/// <summary>Hashes passwords with PBKDF2-HMAC-SHA256 and a 16-byte random salt per user.</summary>
public static class PasswordHasher
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Returns a new salt and the hash of <paramref name="password"/> with it.</summary>
    public static (byte[] Salt, byte[] Hash) Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return (salt, Derive(password, salt, iterations));
    }

    /// <summary>Returns whether <paramref name="password"/> matches the stored hash; compares in constant time.</summary>
    public static bool Verify(string password, byte[] salt, byte[] hash, int iterations) =>
        CryptographicOperations.FixedTimeEquals(Derive(password, salt, iterations), hash);

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
