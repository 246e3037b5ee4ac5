namespace Rafiki.Api.Problems;

/// <summary>Collects invalid fields of a request and throws them together as one 400.</summary>
public sealed class Validation
{
    private readonly List<string> _problems = [];

    /// <summary>Adds a problem with a field, worded as <c>message</c> after <c>field: </c>.</summary>
    public void Add(string field, string message) => _problems.Add($"{field}: {message}");

    /// <summary>Requires a non-blank string of at most <paramref name="maxLength"/> characters without control characters.</summary>
    public string Text(string field, string? value, int maxLength, string hint)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"missing or empty; {hint}");
            return "";
        }

        if (value.Length > maxLength)
        {
            Add(field, $"has {value.Length} characters, more than the limit of {maxLength}.");
        }
        else if (value.Any(char.IsControl))
        {
            Add(field, "contains control characters; remove line breaks and tabs.");
        }

        return value;
    }

    /// <summary>Requires a value to be present.</summary>
    public T Required<T>(string field, T? value, string hint)
        where T : struct
    {
        if (value is null)
        {
            Add(field, $"missing; {hint}");
        }

        return value ?? default;
    }

    /// <summary>Throws a 400 naming every problem added, if any.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0)
        {
            throw ApiProblemException.Invalid(_problems);
        }
    }
}
