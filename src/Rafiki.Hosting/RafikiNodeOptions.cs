namespace Rafiki.Hosting;

/// <summary>Names of the roles a node can take.</summary>
public static class NodeRoles
{
    /// <summary>Hosts study masters, the study registry and inference-job routers.</summary>
    public const string Master = "master";

    /// <summary>Owns device slots; hosts trial actors and model actors.</summary>
    public const string Worker = "worker";

    /// <summary>Hosts the HTTP bridge.</summary>
    public const string Api = "api";

    /// <summary>Every role.</summary>
    public static IReadOnlyList<string> All { get; } = [Master, Worker, Api];
}

/// <summary>Persistence back ends for study events and the study registry.</summary>
public enum PersistenceProvider
{
    /// <summary>A SQLite file: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: the cluster default.</summary>
    PostgreSql,
}

/// <summary>How a node finds the cluster it joins.</summary>
public enum DiscoveryMethod
{
    /// <summary>Join the listed seed nodes, or form a cluster alone when there are none.</summary>
    SeedNodes,

    /// <summary>Find peer pods through the Kubernetes API and bootstrap with Akka.Management.</summary>
    Kubernetes,
}

/// <summary>Settings of one Rafiki node.</summary>
public sealed record RafikiNodeOptions
{
    /// <summary>Folder for the SQLite database, datasets, checkpoints and logs.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Roles of this node; see <see cref="NodeRoles"/>.</summary>
    public IReadOnlyList<string> Roles { get; init; } = NodeRoles.All;

    /// <summary>Device of each slot on a worker: <c>cpu</c> (a share of the CPU), <c>cuda</c> or <c>cuda:N</c>.</summary>
    public IReadOnlyList<string> DeviceSlots { get; init; } = ["cpu"];

    /// <summary>Threads each libtorch operation may use; null means the processor count divided by the CPU slots.</summary>
    public int? TorchThreads { get; init; }

    /// <summary>Address to bind Akka.Remote to; loopback unless set.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Port for Akka.Remote; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Address the HTTP bridge listens on (api role); loopback unless set.</summary>
    public string HttpHost { get; init; } = "127.0.0.1";

    /// <summary>Port of the HTTP bridge (api role); 0 picks a free one.</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>Akka addresses of seed nodes, such as <c>akka.tcp://rafiki@10.0.0.5:4053</c>; empty means join itself.</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>How the node finds its cluster.</summary>
    public DiscoveryMethod Discovery { get; init; } = DiscoveryMethod.SeedNodes;

    /// <summary>Akka.Management HTTP port for cluster bootstrap probes (Kubernetes discovery only).</summary>
    public int ManagementPort { get; init; } = 8558;

    /// <summary>Service name whose pods form the cluster; pods carry the label <c>app=NAME</c> (Kubernetes discovery only).</summary>
    public string KubernetesService { get; init; } = "rafiki";

    /// <summary>Peers a new cluster waits to see before its first node forms it (Kubernetes discovery only).</summary>
    public int RequiredContactPoints { get; init; } = 2;

    /// <summary>Assemblies whose model families join the zoo; every node of a cluster needs the same ones.</summary>
    public IReadOnlyList<string> ModelPlugins { get; init; } = [];

    /// <summary>Where study events go.</summary>
    public PersistenceProvider Persistence { get; init; } = PersistenceProvider.Sqlite;

    /// <summary>Connection string; for SQLite the default is a file <c>rafiki.db</c> in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Checkpoint folder; a shared directory in a cluster. Default: <c>checkpoints</c> in <see cref="DataDirectory"/>.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Dataset folder; default <c>datasets</c> in <see cref="DataDirectory"/>.</summary>
    public string? DatasetDirectory { get; init; }

    /// <summary>Bytes of checkpoints each node keeps in memory.</summary>
    public long CheckpointCacheBytes { get; init; } = 256L << 20;

    /// <summary>Operator HOCON that overrides every built-in Akka setting, such as failure-detector timings; null for none.</summary>
    public string? ExtraHocon { get; init; }

    /// <summary>Least time between two live progress reports of one trial.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns the SQLite or PostgreSQL connection string in effect.</summary>
    public string EffectiveConnectionString => ConnectionString
        ?? (Persistence == PersistenceProvider.Sqlite
            ? $"Data Source={Path.Combine(DataDirectory, "rafiki.db")}"
            : throw new InvalidOperationException("persistence is postgresql but no connection string is set; set one."));

    /// <summary>Returns every invalid setting, each naming the setting, the value and the fix; empty if valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("dataDirectory: empty; set a folder for the node's data.");
        }

        if (Roles.Count == 0)
        {
            problems.Add($"roles: empty; use any of {string.Join(", ", NodeRoles.All)}.");
        }

        foreach (var role in Roles.Where(role => !NodeRoles.All.Contains(role)))
        {
            problems.Add($"roles: '{role}' is unknown; use any of {string.Join(", ", NodeRoles.All)}.");
        }

        if (Roles.Contains(NodeRoles.Worker) && DeviceSlots.Count == 0)
        {
            problems.Add("deviceSlots: empty on a worker; give it at least one slot, such as cpu.");
        }

        foreach (var device in DeviceSlots.Where(device => device != "cpu" && device != "cuda" && !device.StartsWith("cuda:", StringComparison.Ordinal)))
        {
            problems.Add($"deviceSlots: '{device}' is invalid; use cpu, cuda or cuda:N.");
        }

        if (Port is < 0 or > 65535)
        {
            problems.Add($"port: {Port} is invalid; use 0 (any free port) to 65535.");
        }

        if (HttpPort is < 0 or > 65535)
        {
            problems.Add($"httpPort: {HttpPort} is invalid; use 0 (any free port) to 65535.");
        }

        if (ManagementPort is < 1 or > 65535)
        {
            problems.Add($"managementPort: {ManagementPort} is invalid; use 1 to 65535.");
        }

        if (Discovery == DiscoveryMethod.Kubernetes && SeedNodes.Count > 0)
        {
            problems.Add("seedNodes: set together with kubernetes discovery; use one of the two.");
        }

        if (RequiredContactPoints < 1)
        {
            problems.Add($"requiredContactPoints: {RequiredContactPoints} is invalid; use 1 or more.");
        }

        if (TorchThreads is < 1)
        {
            problems.Add($"torchThreads: {TorchThreads} is invalid; use 1 or more, or leave it unset.");
        }

        if (Persistence == PersistenceProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add("connectionString: empty with postgresql persistence; set Host=...;Database=...;Username=...;Password=....");
        }

        return problems;
    }
}
