namespace Rafiki.Bench.Inference;

/// <summary>Reads the machine's load average, which shows how much other processes competed for the CPU.</summary>
internal static class LoadAverage
{
    /// <summary>Returns the 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown" where it is missing.</summary>
    public static string Read()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return "unknown";
        }

        var fields = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 ? $"{fields[0]}, {fields[1]}, {fields[2]}" : "unknown";
    }
}
