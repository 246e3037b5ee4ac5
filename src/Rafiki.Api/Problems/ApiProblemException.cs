namespace Rafiki.Api.Problems;

/// <summary>
/// Ends a request with an RFC 7807 problem response. Handlers throw it for invalid input, unknown ids and
/// conflicts; <see cref="ProblemMiddleware"/> writes it. <see cref="Errors"/> names the invalid fields.
/// </summary>
public sealed class ApiProblemException : Exception
{
    public ApiProblemException(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(detail)
    {
        Status = status;
        Title = title;
        Errors = errors;
    }

    public ApiProblemException()
    {
        Title = "";
    }

    public ApiProblemException(string message)
        : base(message)
    {
        Title = "";
    }

    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Title = "";
    }

    public int Status { get; } = 500;

    public string Title { get; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    /// <summary>Headers to add to the response, such as Retry-After.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>A 400 for one invalid field: <paramref name="field"/> is its JSON path or form field name.</summary>
    public static ApiProblemException Invalid(string field, string message) =>
        new(400, "Invalid request", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A 400 for several invalid fields, each problem of the form <c>field: message</c>.</summary>
    public static ApiProblemException Invalid(IReadOnlyList<string> problems)
    {
        var errors = problems
            .Select(problem => problem.Split(": ", 2))
            .GroupBy(parts => parts.Length == 2 ? parts[0] : "request", StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(parts => parts[^1]).ToArray(), StringComparer.Ordinal);
        return new ApiProblemException(400, "Invalid request", string.Join(" ", problems), errors);
    }

    /// <summary>A 404 for an id that does not exist or belongs to another user.</summary>
    public static ApiProblemException NotFound(string what, string id, string hint) =>
        new(404, "Not found", $"{what} '{id}' not found; {hint}");

    /// <summary>A 409 for a request that conflicts with the stored state.</summary>
    public static ApiProblemException Conflict(string detail) => new(409, "Conflict", detail);
}
