using System.Net;
using Rafiki.Client.Contracts;

namespace Rafiki.Client;

/// <summary>The API answered with an error status; <see cref="Problem"/> holds its problem details.</summary>
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

    /// <summary>Seconds the server asked the client to wait before retrying (HTTP 429), if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
