namespace Rafiki.Tuning;

/// <summary>Thrown when a knob space or a set of knobs is invalid; the message names the knob, the value and the fix.</summary>
public sealed class KnobSpaceException : ArgumentException
{
    public KnobSpaceException(string message)
        : base(message)
    {
    }

    public KnobSpaceException()
    {
    }

    public KnobSpaceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
