using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Rafiki.Api.Problems;

/// <summary>
/// Turns exceptions into problem responses: <see cref="ApiProblemException"/> with its status, Kestrel's
/// <see cref="BadHttpRequestException"/> (such as a body over the size limit) with its status, and anything else
/// into a 500 that points to the log entry by trace id.
/// </summary>
public sealed class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiProblemException e) when (!context.Response.HasStarted)
        {
            logger.LogInformation(
                "Request {Method} {Path} rejected with {Status}: {Detail}", context.Request.Method, context.Request.Path, e.Status, e.Message);
            foreach (var (name, value) in e.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            await ProblemResponses.WriteAsync(context, e.Status, e.Title, e.Message, e.Errors);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            logger.LogInformation(
                "Request {Method} {Path} rejected with {Status}: {Detail}", context.Request.Method, context.Request.Path, e.StatusCode, e.Message);
            var detail = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "the request body is larger than this endpoint accepts; send a smaller body."
                : $"the request could not be read: {e.Message}";
            await ProblemResponses.WriteAsync(context, e.StatusCode, "Bad request", detail);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.LogDebug("Request {Method} {Path} aborted by the client", context.Request.Method, context.Request.Path);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            logger.LogError(
                e, "Request {Method} {Path} failed; trace id {TraceId}", context.Request.Method, context.Request.Path, context.TraceIdentifier);
            await ProblemResponses.WriteAsync(
                context, 500, "Internal server error",
                $"the server failed to handle the request; see its log for trace id {context.TraceIdentifier}.");
        }
    }
}
