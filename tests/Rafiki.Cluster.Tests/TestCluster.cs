using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Rafiki.Hosting;
using Rafiki.Storage.Datasets;
using Rafiki.Testing;
using Rafiki.Training.Studies;

namespace Rafiki.Cluster.Tests;

/// <summary>
/// A cluster of rafiki-node processes on loopback ports, sharing a PostgreSQL database and checkpoint and dataset
/// folders, plus an in-process member with the api role that the test talks through.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly TemporaryDirectory _folder = new();
    private readonly Dictionary<string, (ChildProcess Process, int Port, string[] Arguments)> _nodes = [];
    private readonly List<string> _seeds = [];

    private TestCluster(PostgresDatabase database)
    {
        Database = database;
        Directory.CreateDirectory(SharedCheckpoints);
        Directory.CreateDirectory(SharedDatasets);
    }

    public PostgresDatabase Database { get; }

    /// <summary>The in-process client member; null until <see cref="StartClientAsync"/>.</summary>
    public RafikiNode? Client { get; private set; }

    public string SharedCheckpoints => Path.Combine(_folder.Path, "checkpoints");

    public string SharedDatasets => Path.Combine(_folder.Path, "datasets");

    public static async Task<TestCluster> CreateAsync() => new(await PostgresDatabase.CreateAsync());

    /// <summary>Starts a rafiki-node process and waits until it is up; the first node started is the seed.</summary>
    public async Task StartNodeAsync(string name, string roles, int deviceSlots = 1, int? port = null, params string[] extraArguments)
    {
        port ??= FreePort();
        if (_seeds.Count == 0)
        {
            _seeds.Add($"akka.tcp://{RafikiNode.SystemName}@127.0.0.1:{port}");
        }

        string[] arguments =
        [
            "--roles", roles, "--port", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seed-nodes", string.Join(',', _seeds), "--device-slots", deviceSlots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--persistence", "postgresql", "--connection-string", Database.ConnectionString,
            "--data-dir", Path.Combine(_folder.Path, name), "--checkpoint-dir", SharedCheckpoints, "--dataset-dir", SharedDatasets,
            "--torch-threads", "1",
            .. extraArguments,
        ];
        await LaunchAsync(name, port.Value, arguments);
    }

    /// <summary>Starts a node again with the arguments it had, after a kill.</summary>
    public async Task RestartNodeAsync(string name)
    {
        var (_, port, arguments) = _nodes[name];
        await LaunchAsync(name, port, arguments);
    }

    /// <summary>Joins the in-process client (api role) to the cluster.</summary>
    public async Task StartClientAsync()
    {
        Client = await RafikiNode.StartAsync(
            new RafikiNodeOptions
            {
                DataDirectory = Path.Combine(_folder.Path, "client"),
                Roles = [NodeRoles.Api],
                SeedNodes = [.. _seeds],
                Persistence = PersistenceProvider.PostgreSql,
                ConnectionString = Database.ConnectionString,
                CheckpointDirectory = SharedCheckpoints,
                DatasetDirectory = SharedDatasets,
            },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>Stops the client member.</summary>
    public async Task StopClientAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
            Client = null;
        }
    }

    /// <summary>Returns the name of the node listening on the port of an Akka address.</summary>
    public string NodeAt(string address) =>
        _nodes.First(pair => address.EndsWith($":{pair.Value.Port}", StringComparison.Ordinal)).Key;

    public ChildProcess Process(string name) => _nodes[name].Process;

    public int PortOf(string name) => _nodes[name].Port;

    /// <summary>Kills a node with SIGKILL.</summary>
    public void Kill(string name) => _nodes[name].Process.KillHard();

    /// <summary>Returns the output of every node, for failure messages.</summary>
    public string Output() => string.Join("\n", _nodes.Select(pair => $"--- {pair.Key} ---\n{pair.Value.Process.Output}"));

    /// <summary>Imports the Fashion-MNIST subset into the shared dataset folder.</summary>
    public (DatasetInfo Train, DatasetInfo Validation) ImportFashionSubset()
    {
        var store = new DatasetStore(SharedDatasets);
        var all = IdxFormat.Read(
            Fixtures.PathOf("fashion-mnist/train-images-idx3-ubyte.gz"), Fixtures.PathOf("fashion-mnist/train-labels-idx1-ubyte.gz"));
        return (store.Add("subset-train", "idx", all.Slice(0, 1000)), store.Add("subset-validation", "idx", all.Slice(1000, 200)));
    }

    /// <summary>Submits a study through the client and returns its id.</summary>
    public async Task<string> SubmitAsync(StudySpec spec)
    {
        var studyId = $"study-{Guid.NewGuid():N}"[..20];
        var answer = await Client!.StudyRegistry.Ask<object>(new StudyRegistryProtocol.SubmitStudy(studyId, spec), TimeSpan.FromSeconds(30));
        return answer is StudyProtocol.StudyAccepted ? studyId : throw new InvalidOperationException($"study rejected: {answer}");
    }

    /// <summary>Returns the study's status, retrying while the cluster recovers from a fault.</summary>
    public async Task<StudyStatus> GetStudyAsync(string studyId)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await Client!.Studies.Ask<StudyStatus>(new StudyProtocol.GetStudy(studyId), TimeSpan.FromSeconds(5));
            }
            catch (AskTimeoutException) when (attempt < 12)
            {
                // The study's master is moving to another node; ask again.
            }
        }
    }

    /// <summary>Polls the study until <paramref name="condition"/> holds, or fails with every node's output.</summary>
    public async Task<StudyStatus> WaitForAsync(
        string studyId, Func<StudyStatus, bool> condition, TimeSpan timeout, TimeSpan? pollInterval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await GetStudyAsync(studyId);
            if (condition(status))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"study {studyId} did not reach the expected state in {timeout}: {JsonSerializer.Serialize(status.Trials.Select(t => new { t.Id, t.State, t.Epochs, t.Worker }))}\n{Output()}");
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Returns the study's persisted events as (type name, JSON payload), in order.</summary>
    public async Task<List<(string Type, JsonElement Payload)>> StudyEventsAsync(string studyId)
    {
        var rows = await Database.QueryAsync(
            $"SELECT manifest, message FROM journal WHERE persistence_id = 'studies/{studyId}' ORDER BY sequence_number");
        return rows.Select(row =>
        {
            var manifest = (string)row[0];
            var type = manifest[(manifest.LastIndexOf('+') + 1)..manifest.IndexOf(',', StringComparison.Ordinal)];
            return (type, JsonDocument.Parse((byte[])row[1]).RootElement.Clone());
        }).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await StopClientAsync();
        foreach (var (process, _, _) in _nodes.Values)
        {
            process.Dispose();
        }

        await Database.DisposeAsync();
        _folder.Dispose();
    }

    private async Task LaunchAsync(string name, int port, string[] arguments)
    {
        var process = ChildProcess.Start("rafiki-node", arguments);
        _nodes[name] = (process, port, arguments);
        if (!await process.WaitForOutputAsync(output => output.Contains("rafiki-node up at", StringComparison.Ordinal), TimeSpan.FromMinutes(1)))
        {
            throw new InvalidOperationException($"node {name} did not come up:\n{process.Output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
