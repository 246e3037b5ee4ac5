namespace Rafiki.Storage.Checkpoints;

/// <summary>Builds and checks checkpoint ids.</summary>
public static class CheckpointIds
{
    /// <summary>Returns the id of a trial's checkpoint after an epoch (1-based).</summary>
    public static string ForEpoch(string trialId, int epoch) => $"{trialId}.e{epoch}";

    /// <summary>Throws unless the id is safe to use as a file name or a database key.</summary>
    /// <exception cref="ArgumentException">The id is empty, too long or has characters other than letters, digits, '-', '_' and '.'.</exception>
    public static void Validate(string checkpointId)
    {
        var valid = checkpointId.Length is > 0 and <= 200
                    && checkpointId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                    && !checkpointId.StartsWith('.');
        if (!valid)
        {
            throw new ArgumentException(
                $"checkpoint id '{checkpointId}' is invalid; use 1 to 200 letters, digits, '-', '_' or '.', not starting with '.'.",
                nameof(checkpointId));
        }
    }
}
