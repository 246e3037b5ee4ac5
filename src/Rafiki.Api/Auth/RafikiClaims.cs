using System.Security.Claims;
using Rafiki.Client.Contracts;

namespace Rafiki.Api.Auth;

/// <summary>Claims of an authenticated caller and helpers to read them.</summary>
public static class RafikiClaims
{
    /// <summary>Claim type that records how the caller authenticated: <see cref="Token"/> or <see cref="ApiKey"/>.</summary>
    public const string Credential = "rafiki:credential";

    public const string Token = "token";

    public const string ApiKey = "api-key";

    /// <summary>Builds the principal of a user who authenticated with <paramref name="credential"/>.</summary>
    public static ClaimsPrincipal Principal(UserView user, string credential, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.Username),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(Credential, credential),
        ],
        scheme));

    /// <summary>Returns the caller's user id.</summary>
    public static string UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("the request is not authenticated.");

    /// <summary>Returns the caller's role.</summary>
    public static string Role(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.Role) ?? "";

    /// <summary>Returns whether the caller is an admin, who may access every user's datasets and jobs.</summary>
    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.Role() == UserRoles.Admin;

    /// <summary>Returns whether the caller may see a resource owned by <paramref name="ownerId"/>.</summary>
    public static bool MayAccess(this ClaimsPrincipal principal, string? ownerId) =>
        principal.IsAdmin() || (ownerId is not null && ownerId == principal.UserId());
}
