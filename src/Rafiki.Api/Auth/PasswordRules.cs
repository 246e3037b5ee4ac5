namespace Rafiki.Api;

/// <summary>Length rules for passwords; the API stores only salted PBKDF2 hashes of them.</summary>
public static class PasswordRules
{
    public const int MinLength = 12;

    public const int MaxLength = 256;
}
