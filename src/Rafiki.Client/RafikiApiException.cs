using System.Net;
using Rafiki.Client.Contracts;

namespace Rafiki.Client;

/// <summary>The API returned an error status; <see cref="Problem"/> contains its problem details.</summary>
public sealed class RafikiApiException : Exception
{
    public RafikiApiException(HttpStatusCode status, ApiProblem? problem, string message)
        : base(message)
    {
        Status = status;
        Problem = problem;
    }

    public RafikiApiException()
    {
    }

    public RafikiApiException(string message)
        : base(message)
    {
    }

    public RafikiApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>HTTP status of the response.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The problem details body; null when the body was not problem JSON.</summary>
    public ApiProblem? Problem { get; }

    /// <summary>
    /// Time the server requested the client to wait before retrying, if sent: the Retry-After header of HTTP 429 (queue
    /// full) and 503 (latency target missed).
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }
}
