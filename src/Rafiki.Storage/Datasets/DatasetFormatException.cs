namespace Rafiki.Storage.Datasets;

/// <summary>Thrown when an uploaded or imported dataset file is invalid; the message names the file and the problem.</summary>
public sealed class DatasetFormatException : Exception
{
    public DatasetFormatException(string message)
        : base(message)
    {
    }

    public DatasetFormatException()
    {
    }

    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
