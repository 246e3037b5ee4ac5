using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Rafiki.Client.Contracts;

namespace Rafiki.Client;

/// <summary>
/// Typed client of the Rafiki HTTP API. It wraps an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/>
/// points at the server, sends the bearer token or API key it was given, and turns error responses into
/// <see cref="RafikiApiException"/> with the server's problem details.
/// </summary>
public sealed partial class RafikiClient
{
    private readonly HttpClient _http;
    private string? _token;
    private string? _apiKey;

    /// <param name="http">Client with the server's base address, such as <c>http://127.0.0.1:8080/</c>.</param>
    public RafikiClient(HttpClient http)
    {
        _http = http;
    }

    /// <summary>Uses a bearer token from <see cref="LoginAsync"/> for the following requests.</summary>
    public RafikiClient WithToken(string token)
    {
        _token = token;
        _apiKey = null;
        return this;
    }

    /// <summary>Uses an application's API key for the following requests.</summary>
    public RafikiClient WithApiKey(string apiKey)
    {
        _apiKey = apiKey;
        _token = null;
        return this;
    }

    /// <summary>Logs in and keeps the returned token for the following requests.</summary>
    public async Task<TokenResponse> LoginAsync(
        string username, string password, int? lifetimeSeconds = null, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<TokenResponse>(
            HttpMethod.Post, "tokens", JsonContent.Create(new LoginRequest(username, password, lifetimeSeconds), options: RafikiClientJson.Options),
            cancellationToken);
        _token = response.Token;
        _apiKey = null;
        return response;
    }

    /// <summary>Revokes the token in use.</summary>
    public Task LogoutAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, "tokens/current", null, cancellationToken);

    /// <summary>Returns the user the token or key belongs to.</summary>
    public Task<UserView> GetCurrentUserAsync(CancellationToken cancellationToken = default) =>
        SendAsync<UserView>(HttpMethod.Get, "users/me", null, cancellationToken);

    /// <summary>Creates a user (admin only).</summary>
    public Task<UserView> CreateUserAsync(CreateUserRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<UserView>(HttpMethod.Post, "users", Json(request), cancellationToken);

    /// <summary>Lists every user (admin only).</summary>
    public Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<UserView>>(HttpMethod.Get, "users", null, cancellationToken);

    /// <summary>Creates an API key for an application; the secret is in the response only.</summary>
    public Task<CreatedApiKey> CreateApiKeyAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedApiKey>(HttpMethod.Post, "api-keys", Json(new CreateApiKeyRequest(name)), cancellationToken);

    /// <summary>Lists the caller's API keys.</summary>
    public Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ApiKeyView>>(HttpMethod.Get, "api-keys", null, cancellationToken);

    /// <summary>Revokes one of the caller's API keys.</summary>
    public Task RevokeApiKeyAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api-keys/{Uri.EscapeDataString(id)}", null, cancellationToken);

    /// <summary>Lists the built-in model families.</summary>
    public Task<IReadOnlyList<ModelFamilyView>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ModelFamilyView>>(HttpMethod.Get, "models", null, cancellationToken);

    /// <summary>Returns whether the server's health endpoint returns success; needs no credentials.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private static JsonContent Json<T>(T body) => JsonContent.Create(body, options: RafikiClientJson.Options);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<T>(RafikiClientJson.Options, cancellationToken);
        return body ?? throw new RafikiApiException(response.StatusCode, null, $"{method} {path} returned an empty body.");
    }

    private async Task SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, content, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }
        else if (_apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", _apiKey);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(method, path, response, cancellationToken);
        }
    }

    private static async Task<RafikiApiException> ToExceptionAsync(
        HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ApiProblem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync<ApiProblem>(RafikiClientJson.Options, cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                // The body is not problem JSON; the status alone describes the error.
            }
        }

        var retryAfter = response.Headers.RetryAfter?.Delta
            ?? (response.Headers.TryGetValues("Retry-After", out var values)
                && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : null);
        var detail = problem?.Detail ?? problem?.Title ?? response.ReasonPhrase ?? "no details";
        return new RafikiApiException(response.StatusCode, problem, $"{method} {path} failed with {(int)response.StatusCode}: {detail}")
        {
            RetryAfter = retryAfter,
        };
    }
}
