using Npgsql;
using Rafiki.Hosting;

namespace Rafiki.Cluster.Tests;

/// <summary>A node on PostgreSQL checks its connection string before it starts.</summary>
public class PostgresCheckTests
{
    [Fact]
    public async Task Wrong_password_fails_before_start()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var wrong = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = "not-the-password" }.ConnectionString;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => PostgresCheck.ConnectAsync(wrong, CancellationToken.None));

        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("--connection-string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reachable_database_passes()
    {
        await using var database = await PostgresDatabase.CreateAsync();

        var check = PostgresCheck.ConnectAsync(database.ConnectionString, CancellationToken.None);

        await check;
        Assert.True(check.IsCompletedSuccessfully);
    }
}
