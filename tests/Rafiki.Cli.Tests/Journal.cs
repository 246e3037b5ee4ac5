using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Rafiki.Cli.Tests;

/// <summary>Reads study events straight from a node's SQLite journal, to check what was persisted.</summary>
public static class Journal
{
    /// <summary>One persisted study event: its type name and JSON payload.</summary>
    public sealed record Event(string PersistenceId, long SequenceNumber, string Type, JsonElement Payload);

    /// <summary>Returns every event of study masters, in journal order.</summary>
    public static IReadOnlyList<Event> StudyEvents(string dataDirectory)
    {
        // Read-write, because after a SIGKILL of the node the first reader must recover the write-ahead log, which a
        // read-only connection cannot do. Only SELECTs run.
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "rafiki.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT persistence_id, sequence_number, manifest, message FROM journal WHERE persistence_id LIKE 'studies/%' ORDER BY ordering";
        using var reader = command.ExecuteReader();
        var events = new List<Event>();
        while (reader.Read())
        {
            var manifest = reader.GetString(2);
            var type = manifest[(manifest.LastIndexOf('+') + 1)..manifest.IndexOf(',', StringComparison.Ordinal)];
            using var payload = JsonDocument.Parse((byte[])reader[3]);
            events.Add(new Event(reader.GetString(0), reader.GetInt64(1), type, payload.RootElement.Clone()));
        }

        return events;
    }
}
