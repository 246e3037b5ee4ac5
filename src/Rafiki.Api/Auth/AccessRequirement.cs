using Microsoft.AspNetCore.Authorization;

namespace Rafiki.Api.Auth;

/// <summary>
/// Requires one of <see cref="Roles"/>, and a user's bearer token unless <see cref="AllowApiKeys"/>. The failure
/// reason names the caller's role and what the action needs.
/// </summary>
/// <param name="Roles">Roles allowed.</param>
/// <param name="AllowApiKeys">Whether an application's API key is enough.</param>
/// <param name="Action">The action in words, for the failure reason, such as "deploy inference jobs".</param>
public sealed record AccessRequirement(IReadOnlyList<string> Roles, bool AllowApiKeys, string Action) : IAuthorizationRequirement;

/// <summary>Checks <see cref="AccessRequirement"/>.</summary>
public sealed class AccessRequirementHandler : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        if (!requirement.AllowApiKeys && context.User.FindFirst(RafikiClaims.Credential)?.Value == RafikiClaims.ApiKey)
        {
            context.Fail(new AuthorizationFailureReason(this,
                $"an API key may not {requirement.Action}; API keys only predict and read inference jobs, " +
                "so use a bearer token from POST /tokens."));
            return Task.CompletedTask;
        }

        var role = context.User.Role();
        if (!requirement.Roles.Contains(role))
        {
            context.Fail(new AuthorizationFailureReason(this,
                $"role '{role}' may not {requirement.Action}; this needs the role {string.Join(" or ", requirement.Roles)}."));
            return Task.CompletedTask;
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
