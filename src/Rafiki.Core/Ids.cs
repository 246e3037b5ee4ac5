namespace Rafiki.Core;

/// <summary>Generates the short, sortable, URL-safe identifiers used for studies, trials and jobs.</summary>
public static class Ids
{
    /// <summary>Returns a new id such as <c>study-20261204-1f3a9c</c>: prefix, UTC date, then 24 random bits.</summary>
    public static string New(string prefix) =>
        $"{prefix}-{DateTime.UtcNow:yyyyMMdd}-{Random.Shared.Next(0, 1 << 24):x6}";
}
