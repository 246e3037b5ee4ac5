using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rafiki.Client.Contracts;

/// <summary>
/// An RFC 7807 problem details body, as every error response of the API carries it. <see cref="Errors"/> maps
/// each invalid field to what is wrong with it.
/// </summary>
public sealed record ApiProblem
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? Instance { get; init; }

    /// <summary>Problems by field path, such as <c>budget.maxTrials</c>.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Members the server added beyond the standard ones.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; init; }
}
