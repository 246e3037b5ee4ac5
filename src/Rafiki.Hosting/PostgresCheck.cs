using Npgsql;

namespace Rafiki.Hosting;

/// <summary>
/// Opens one connection before a node starts on PostgreSQL. Without it, a wrong password or host only shows as
/// journal errors in the log while the node reports itself up and every persistent actor waits.
/// </summary>
public static class PostgresCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Connects and disconnects at once.</summary>
    /// <exception cref="ArgumentException">The server cannot be reached or rejected the login. The message gives the server's reason.</exception>
    public static async Task ConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = (int)Timeout.TotalSeconds };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or TimeoutException)
        {
            // The server's message names the host, database or user at fault. The connection string is left out
            // because it contains the password.
            throw new ArgumentException(
                $"invalid node settings: cannot connect to PostgreSQL ({e.Message}); check the connection string "
                + "(--connection-string, RAFIKI_CONNECTION_STRING or rafiki.connection-string) and that the server runs.",
                e);
        }
    }
}
