using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rafiki.Api.Auth;

/// <summary>
/// Authenticates a request by its <c>Authorization: Bearer</c> header (a token from <c>POST /tokens</c> or an API
/// key) or its <c>X-Api-Key</c> header. Failure messages name the problem but never the credential.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, UserStore users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Name of the authentication scheme.</summary>
    public const string SchemeName = "Rafiki";

    /// <summary>Header that carries an API key when Authorization is not used.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Returns the credential a request carries, or null; the caller must never log it.</summary>
    public static string? CredentialOf(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Headers.TryGetValue(ApiKeyHeader, out var key) ? key.ToString().Trim() : null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length > 0 && !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var scheme = authorization.Split(' ', 2)[0];
            return Task.FromResult(AuthenticateResult.Fail(
                $"the Authorization header uses the scheme '{(scheme.Length > 20 ? scheme[..20] : scheme)}'; " +
                "send Authorization: Bearer <token> or an X-Api-Key header."));
        }

        var credential = CredentialOf(Request);
        if (credential is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        CredentialCheck check;
        string kind;
        if (credential.StartsWith(SecretTokens.TokenPrefix, StringComparison.Ordinal))
        {
            (check, kind) = (users.CheckToken(credential), RafikiClaims.Token);
        }
        else if (credential.StartsWith(SecretTokens.ApiKeyPrefix, StringComparison.Ordinal))
        {
            (check, kind) = (users.CheckApiKey(credential), RafikiClaims.ApiKey);
        }
        else
        {
            return Task.FromResult(AuthenticateResult.Fail(
                $"the credential is neither a token ({SecretTokens.TokenPrefix}...) nor an API key ({SecretTokens.ApiKeyPrefix}...); " +
                "log in with POST /tokens."));
        }

        if (check.User is null)
        {
            return Task.FromResult(AuthenticateResult.Fail(check.Failure!));
        }

        var principal = RafikiClaims.Principal(check.User, kind, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
