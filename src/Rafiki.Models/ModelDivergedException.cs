namespace Rafiki.Models;

/// <summary>Thrown when training produces a NaN or infinite loss, usually because the learning rate is too high.</summary>
public sealed class ModelDivergedException : Exception
{
    /// <summary>Creates the exception with a message that names the loss and the batch.</summary>
    public ModelDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public ModelDivergedException()
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
