using Npgsql;

namespace Rafiki.Cluster.Tests;

/// <summary>
/// A fresh PostgreSQL database for one test, dropped on dispose. The server comes from RAFIKI_TEST_POSTGRES (a
/// connection string for a role allowed to create databases); build.fsx's Setup target installs and starts it.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>Connection string of the local server that build.fsx sets up.</summary>
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=rafiki;Password=rafiki;Database=postgres";

    private readonly string _server;

    private PostgresDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Creates a database with a unique name.</summary>
    /// <exception cref="InvalidOperationException">The server is unreachable; the message says how to start it.</exception>
    public static async Task<PostgresDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable("RAFIKI_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultServer;
        var database = new PostgresDatabase(server, $"rafiki_test_{Guid.NewGuid():N}");
        try
        {
            await database.ExecuteOnServerAsync($"CREATE DATABASE {database.Name}");
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                "PostgreSQL is not reachable for the cluster tests; run 'dotnet fsi build.fsx -t Setup' to install and start it, " +
                $"or set RAFIKI_TEST_POSTGRES. Cause: {e.Message}", e);
        }

        return database;
    }

    /// <summary>Returns the rows of a query against this database.</summary>
    public async Task<List<object[]>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync() => await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
