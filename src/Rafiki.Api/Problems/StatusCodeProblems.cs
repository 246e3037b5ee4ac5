using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Rafiki.Api.Problems;

/// <summary>
/// Fills the bodies of errors that routing returns before any handler runs (no such endpoint, wrong method,
/// wrong content type) with problem details that tell the client what to send instead.
/// </summary>
public static class StatusCodeProblems
{
    /// <summary>Writes the problem for the status the pipeline set.</summary>
    public static Task WriteAsync(StatusCodeContext statusCode)
    {
        var context = statusCode.HttpContext;
        var request = context.Request;
        var status = context.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status404NotFound => $"no endpoint matches {request.Method} {request.Path}; see /openapi/v1.json for the endpoints.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}; see /openapi/v1.json for the methods.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"content type '{request.ContentType ?? "(none)"}' is not supported by {request.Method} {request.Path}; " +
                $"send {(request.Path.StartsWithSegments("/datasets", StringComparison.Ordinal) ? "multipart/form-data" : "application/json")}.",
            _ => $"the request failed with status {status}.",
        };
        return ProblemResponses.WriteAsync(context, status, ReasonPhrases.GetReasonPhrase(status), detail);
    }
}
