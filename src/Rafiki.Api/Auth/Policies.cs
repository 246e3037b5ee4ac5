using Microsoft.AspNetCore.Authorization;
using Rafiki.Client.Contracts;

namespace Rafiki.Api.Auth;

/// <summary>Authorization policies of the endpoints, by what the caller wants to do.</summary>
public static class Policies
{
    /// <summary>Any user, with a token or an API key.</summary>
    public const string AnyUser = "any-user";

    /// <summary>Manage users: admins with a token.</summary>
    public const string ManageUsers = "manage-users";

    /// <summary>Datasets and train jobs: every role, with a token.</summary>
    public const string Develop = "develop";

    /// <summary>Deploy and stop inference jobs, manage API keys: admins and app developers, with a token.</summary>
    public const string Deploy = "deploy";

    /// <summary>Predict and read inference jobs: admins and app developers, with a token or an API key.</summary>
    public const string Predict = "predict";

    /// <summary>Read Prometheus metrics: admins, with a token or an API key (for a scraper).</summary>
    public const string Metrics = "metrics";

    /// <summary>Adds every policy.</summary>
    public static void Add(AuthorizationOptions options)
    {
        Add(options, AnyUser, new AccessRequirement(UserRoles.All, AllowApiKeys: true, "use this endpoint"));
        Add(options, ManageUsers, new AccessRequirement([UserRoles.Admin], AllowApiKeys: false, "manage users"));
        Add(options, Develop, new AccessRequirement(UserRoles.All, AllowApiKeys: false, "manage datasets and train jobs"));
        Add(options, Deploy, new AccessRequirement(
            [UserRoles.Admin, UserRoles.AppDeveloper], AllowApiKeys: false, "deploy inference jobs or manage API keys"));
        Add(options, Predict, new AccessRequirement(
            [UserRoles.Admin, UserRoles.AppDeveloper], AllowApiKeys: true, "use inference jobs"));
        Add(options, Metrics, new AccessRequirement([UserRoles.Admin], AllowApiKeys: true, "read metrics"));
    }

    private static void Add(AuthorizationOptions options, string name, AccessRequirement requirement) =>
        options.AddPolicy(name, policy => policy
            .AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(requirement));
}
