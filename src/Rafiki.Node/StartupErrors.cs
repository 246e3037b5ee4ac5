using System.Net.Sockets;

namespace Rafiki.Node;

/// <summary>Recognises start-up failures that have a plain cause the operator can fix.</summary>
internal static class StartupErrors
{
    /// <summary>Returns the exception, or a nested one, that reports a port that could not be bound; null if none.</summary>
    public static Exception? FindBindFailure(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable }
                || (current is IOException && current.Message.Contains("bind", StringComparison.OrdinalIgnoreCase)))
            {
                return current;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(FindBindFailure).FirstOrDefault(found => found is not null) is { } nested)
            {
                return nested;
            }
        }

        return null;
    }
}
