namespace Rafiki.Node;

/// <summary>A node setting is invalid; the message names the setting, where it came from, the value and the fix.</summary>
public sealed class NodeSettingsException : Exception
{
    public NodeSettingsException(string message)
        : base(message)
    {
    }

    public NodeSettingsException()
    {
    }

    public NodeSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
