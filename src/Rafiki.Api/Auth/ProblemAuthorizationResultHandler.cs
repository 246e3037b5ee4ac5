using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Rafiki.Api.Problems;

namespace Rafiki.Api.Auth;

/// <summary>
/// Writes problem details for failed authorization: 401 with the reason the credential was not accepted (and a
/// <c>WWW-Authenticate</c> header as RFC 6750 describes), 403 with the role the action needs.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await next(context);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(reason => reason.Message).ToList() ?? [];
            await ProblemResponses.WriteAsync(
                context, StatusCodes.Status403Forbidden, "Forbidden",
                reasons.Count > 0 ? string.Join(" ", reasons) : "the caller may not use this endpoint.");
            return;
        }

        var authentication = await context.AuthenticateAsync(TokenAuthenticationHandler.SchemeName);
        var reason = authentication.Failure?.Message
            ?? "missing credentials; send Authorization: Bearer <token> with a token from POST /tokens, or an X-Api-Key header.";
        context.Response.Headers.WWWAuthenticate = authentication.Failure is null
            ? "Bearer realm=\"rafiki\""
            : $"Bearer realm=\"rafiki\", error=\"invalid_token\", error_description=\"{reason.Replace("\"", "'", StringComparison.Ordinal)}\"";
        await ProblemResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", reason);
    }
}
