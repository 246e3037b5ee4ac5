using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Rafiki.Api.Problems;

/// <summary>Writes RFC 7807 problem details responses.</summary>
public static class ProblemResponses
{
    /// <summary>
    /// Writes a problem response. On the KServe v2 routes the body also carries <c>error</c>, the member v2 clients
    /// read.
    /// </summary>
    public static Task WriteAsync(
        HttpContext context, int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        ProblemDetails problem = errors is { Count: > 0 }
            ? new HttpValidationProblemDetails(errors.ToDictionary(pair => pair.Key, pair => pair.Value))
            : new ProblemDetails();
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        problem.Instance = context.Request.Path;
        if (context.Request.Path.StartsWithSegments("/v2", StringComparison.Ordinal))
        {
            problem.Extensions["error"] = detail;
        }

        return TypedResults.Problem(problem).ExecuteAsync(context);
    }
}
