using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;
using Rafiki.Api.Auth;
using Rafiki.Api.Data;
using Rafiki.Api.Endpoints;
using Rafiki.Api.Metrics;
using Rafiki.Api.Node;
using Rafiki.Api.Predictions;
using Rafiki.Api.Problems;
using Rafiki.Api.Uploads;
using Rafiki.Client.Contracts;
using Rafiki.Hosting;

namespace Rafiki.Api;

/// <summary>
/// Starts the HTTP API inside a running node with the api role. The API forwards to the node's actors and stores
/// users, tokens, API keys and job owners in a SQLite file in the node's data folder.
/// </summary>
public static class RafikiApi
{
    /// <summary>Name of the rate-limiting policy of <c>POST /tokens</c>.</summary>
    public const string LoginRateLimit = "login";

    /// <summary>Builds and starts the API on <see cref="ApiOptions.Host"/> and <see cref="ApiOptions.Port"/>.</summary>
    /// <param name="node">A started node whose roles include <see cref="NodeRoles.Api"/>.</param>
    /// <param name="options">API settings; validated first.</param>
    /// <param name="configureLogging">Adds logging providers; by default logs go to the console.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">A setting is invalid or the node lacks the api role; the message names each problem.</exception>
    public static async Task<RafikiApiServer> StartAsync(
        RafikiNode node, ApiOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        var problems = options.Validate().ToList();
        if (!node.Options.Roles.Contains(NodeRoles.Api))
        {
            problems.Add($"roles: the node has the roles {string.Join(", ", node.Options.Roles)}; add {NodeRoles.Api} to serve the HTTP API.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid API settings: " + string.Join(" ", problems));
        }

        var app = Build(node, options, configureLogging);
        CreateBootstrapAdmin(app.Services, options);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        app.Logger.LogInformation("Rafiki API listening on {Address}", baseAddress);
        return new RafikiApiServer(app, baseAddress);
    }

    private static WebApplication Build(RafikiNode node, ApiOptions options, Action<ILoggingBuilder>? configureLogging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(RafikiApi).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port);
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.AddServerHeader = false;
        });
        AddServices(builder.Services, node, options);

        var app = builder.Build();
        app.UseMiddleware<ProblemMiddleware>();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseRouting();
        var registry = app.Services.GetRequiredService<ApiMetrics>().Registry;
        app.UseHttpMetrics(metrics => metrics.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(registry)));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        MapEndpoints(app);
        app.Services.GetRequiredService<NodeMetricsCollector>();
        return app;
    }

    private static void AddServices(IServiceCollection services, RafikiNode node, ApiOptions options)
    {
        var database = new ApiDatabase(options.DatabasePath ?? Path.Combine(node.Options.DataDirectory, "api.db"));
        var staging = Path.Combine(node.Options.DataDirectory, "uploads");
        if (Directory.Exists(staging))
        {
            // Folders left by an upload that was interrupted by a crash.
            Directory.Delete(staging, recursive: true);
        }

        services.AddSingleton(options);
        services.AddSingleton(node);
        services.AddSingleton(database);
        services.AddSingleton(new UserStore(database, options.Clock, options.PasswordIterations));
        services.AddSingleton<JobStore>();
        services.AddSingleton<NodeGateway>();
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<NodeMetricsCollector>();
        services.AddSingleton<PredictionService>();
        services.AddSingleton(new MultipartUploadReader(options, staging));

        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(Policies.Add);
        services.AddSingleton<IAuthorizationHandler, AccessRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddProblemDetails();
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        });
        services.AddOpenApi(openApi =>
        {
            openApi.AddDocumentTransformer<SecuritySchemeTransformer>();
            openApi.AddOperationTransformer<SecuritySchemeTransformer>();
        });
        services.AddRateLimiter(limits =>
        {
            // PBKDF2 costs a core for a fraction of a second, so concurrent log-ins are capped to keep a burst of
            // them from starving predictions; the excess queues briefly, then gets 429.
            limits.AddConcurrencyLimiter(LoginRateLimit, login =>
            {
                login.PermitLimit = Math.Max(1, Environment.ProcessorCount / 2);
                login.QueueLimit = 16;
            });
            limits.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limits.OnRejected = (rejected, _) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(ProblemResponses.WriteAsync(
                    rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    "too many log-ins at once; retry after 1 s."));
            };
        });
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous().WithSummary("Liveness of the API");
        UserEndpoints.Map(app);
        DatasetEndpoints.Map(app);
        TrainJobEndpoints.Map(app);
        InferenceJobEndpoints.Map(app);
        PredictEndpoints.Map(app);
        KServeEndpoints.Map(app);
        app.MapOpenApi().RequireAuthorization(Policies.AnyUser);
        app.MapMetrics("/metrics", app.Services.GetRequiredService<ApiMetrics>().Registry).RequireAuthorization(Policies.Metrics);
    }

    private static void CreateBootstrapAdmin(IServiceProvider services, ApiOptions options)
    {
        var users = services.GetRequiredService<UserStore>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RafikiApi));
        if (users.AnyAdmin())
        {
            return;
        }

        if (options.BootstrapAdminPassword is null)
        {
            logger.LogWarning(
                "No admin user exists and no bootstrap password is set; set {Variable} and restart to create admin {Username}",
                ApiOptions.AdminPasswordVariable, options.BootstrapAdminUsername);
            return;
        }

        var admin = users.CreateUser(options.BootstrapAdminUsername, options.BootstrapAdminPassword, UserRoles.Admin);
        logger.LogInformation("Created the bootstrap admin {Username} ({UserId})", admin.Username, admin.Id);
    }
}
