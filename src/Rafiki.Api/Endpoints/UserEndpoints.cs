using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Rafiki.Api.Auth;
using Rafiki.Api.Problems;
using Rafiki.Client.Contracts;

namespace Rafiki.Api.Endpoints;

/// <summary>Log-in, users and API keys.</summary>
public static class UserEndpoints
{
    private const int UsernameMaxLength = 64;

    /// <summary>Maps <c>/tokens</c>, <c>/users</c> and <c>/api-keys</c>.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/tokens", LoginAsync).AllowAnonymous().RequireRateLimiting(RafikiApi.LoginRateLimit)
            .Accepts<LoginRequest>("application/json").Produces<TokenResponse>()
            .ProducesProblem(400).ProducesProblem(401).WithSummary("Log in and get a bearer token");
        app.MapDelete("/tokens/current", Logout).RequireAuthorization(Policies.AnyUser)
            .Produces(204).WithSummary("Revoke the bearer token of this request");

        app.MapGet("/users/me", (HttpContext context, UserStore users) =>
                users.FindUser(context.User.UserId()))
            .RequireAuthorization(Policies.AnyUser).WithSummary("The caller's user");
        app.MapGet("/users", (UserStore users) => users.ListUsers())
            .RequireAuthorization(Policies.ManageUsers).WithSummary("List users");
        app.MapPost("/users", CreateUserAsync).RequireAuthorization(Policies.ManageUsers)
            .Accepts<CreateUserRequest>("application/json").Produces<UserView>(201)
            .ProducesProblem(400).ProducesProblem(409).WithSummary("Create a user");

        app.MapPost("/api-keys", CreateApiKeyAsync).RequireAuthorization(Policies.Deploy)
            .Accepts<CreateApiKeyRequest>("application/json").Produces<CreatedApiKey>(201)
            .WithSummary("Create an API key for an application; the secret is shown once");
        app.MapGet("/api-keys", (HttpContext context, UserStore users) => users.ListApiKeys(context.User.UserId()))
            .RequireAuthorization(Policies.Deploy).WithSummary("List the caller's API keys");
        app.MapDelete("/api-keys/{id}", (string id, HttpContext context, UserStore users) =>
                users.RevokeApiKey(context.User.UserId(), id)
                    ? Results.NoContent()
                    : throw ApiProblemException.NotFound("API key", id, "list your keys with GET /api-keys."))
            .RequireAuthorization(Policies.Deploy).WithSummary("Revoke an API key");
    }

    private static async Task<IResult> LoginAsync(
        HttpContext context, UserStore users, ApiOptions options, ILogger<UserStore> logger)
    {
        var request = await JsonBody.ReadAsync<LoginRequest>(context.Request, context.RequestAborted);
        var validation = new Validation();
        var username = validation.Text("username", request.Username, UsernameMaxLength, "send the user name.");
        if (string.IsNullOrEmpty(request.Password))
        {
            validation.Add("password", "missing or empty; send the password.");
        }
        else if (request.Password.Length > PasswordRules.MaxLength)
        {
            validation.Add("password", $"longer than {PasswordRules.MaxLength} characters, so it cannot match.");
        }

        if (request.LifetimeSeconds is < 1)
        {
            validation.Add("lifetimeSeconds", $"{request.LifetimeSeconds} is invalid; use 1 or more, or leave it out.");
        }

        validation.ThrowIfInvalid();
        var user = users.CheckPassword(username, request.Password!);
        if (user is null)
        {
            logger.LogWarning("Log-in failed for user name {Username}", username);
            throw new ApiProblemException(401, "Unauthorized", "invalid user name or password.");
        }

        var lifetime = request.LifetimeSeconds is { } seconds && TimeSpan.FromSeconds(seconds) < options.TokenLifetime
            ? TimeSpan.FromSeconds(seconds)
            : options.TokenLifetime;
        logger.LogInformation("User {UserId} logged in; token valid for {Lifetime}", user.Id, lifetime);
        return Results.Ok(users.IssueToken(user, lifetime));
    }

    private static IResult Logout(HttpContext context, UserStore users)
    {
        var credential = TokenAuthenticationHandler.CredentialOf(context.Request);
        if (credential is null || !credential.StartsWith(SecretTokens.TokenPrefix, StringComparison.Ordinal))
        {
            throw ApiProblemException.Invalid(
                "Authorization", "this request carries an API key, not a token; revoke keys with DELETE /api-keys/{id}.");
        }

        users.RevokeToken(credential);
        return Results.NoContent();
    }

    private static async Task<IResult> CreateUserAsync(HttpContext context, UserStore users, ILogger<UserStore> logger)
    {
        var request = await JsonBody.ReadAsync<CreateUserRequest>(context.Request, context.RequestAborted);
        var validation = new Validation();
        var username = validation.Text("username", request.Username, UsernameMaxLength, "give the user a name.");
        if (username.Length > 0 && (username.Length < 3 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
        {
            validation.Add("username", $"'{username}' is invalid; use 3 to {UsernameMaxLength} letters, digits, dots, dashes or underscores.");
        }

        if (request.Password is null || request.Password.Length < PasswordRules.MinLength || request.Password.Length > PasswordRules.MaxLength)
        {
            validation.Add(
                "password", $"must have {PasswordRules.MinLength} to {PasswordRules.MaxLength} characters; it has {request.Password?.Length ?? 0}.");
        }

        if (request.Role is null || !UserRoles.All.Contains(request.Role))
        {
            validation.Add("role", $"'{request.Role}' is unknown; use one of {string.Join(", ", UserRoles.All)}.");
        }

        validation.ThrowIfInvalid();
        var user = users.CreateUser(username, request.Password!, request.Role!);
        logger.LogInformation("User {UserId} ({Username}, {Role}) created by {AdminId}", user.Id, user.Username, user.Role, context.User.UserId());
        return Results.Created($"/users/{user.Id}", user);
    }

    private static async Task<IResult> CreateApiKeyAsync(HttpContext context, UserStore users, ILogger<UserStore> logger)
    {
        var request = await JsonBody.ReadAsync<CreateApiKeyRequest>(context.Request, context.RequestAborted);
        var validation = new Validation();
        var name = validation.Text("name", request.Name, 100, "name the application the key is for.");
        validation.ThrowIfInvalid();
        var created = users.CreateApiKey(context.User.UserId(), name);
        logger.LogInformation("API key {KeyId} created for user {UserId}", created.Key.Id, context.User.UserId());
        return Results.Created($"/api-keys/{created.Key.Id}", created);
    }
}
