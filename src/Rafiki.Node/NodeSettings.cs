using System.Globalization;
using Akka.Configuration;
using Rafiki.Hosting;

namespace Rafiki.Node;

/// <summary>
/// Reads a node's settings from, in rising precedence: built-in defaults, the HOCON file's <c>rafiki</c> section,
/// environment variables (<c>RAFIKI_ROLES</c> and so on), then command-line options. Every setting has one name in
/// each source, listed in <see cref="Settings"/>; the whole HOCON file also reaches Akka, so operators tune
/// Akka settings (failure detector, split-brain resolver) in the same file.
/// </summary>
public static class NodeSettings
{
    /// <summary>Each setting: its HOCON path under <c>rafiki</c>, its environment variable and its option.</summary>
    public static IReadOnlyList<(string Hocon, string Environment, string Option, string Description)> Settings { get; } =
    [
        ("roles", "RAFIKI_ROLES", "--roles", "comma-separated roles: master, worker, api"),
        ("device-slots", "RAFIKI_DEVICE_SLOTS", "--device-slots", "a number of CPU slots, or devices such as cuda:0,cuda:1"),
        ("torch-threads", "RAFIKI_TORCH_THREADS", "--torch-threads", "threads per libtorch operation"),
        ("hostname", "RAFIKI_HOSTNAME", "--hostname", "address Akka.Remote binds to"),
        ("port", "RAFIKI_PORT", "--port", "Akka.Remote port; 0 picks a free one"),
        ("http-host", "RAFIKI_HTTP_HOST", "--http-host", "address the HTTP bridge listens on (api role)"),
        ("http-port", "RAFIKI_HTTP_PORT", "--http-port", "port of the HTTP bridge (api role)"),
        ("seed-nodes", "RAFIKI_SEED_NODES", "--seed-nodes", "comma-separated akka.tcp://rafiki@host:port addresses"),
        ("persistence", "RAFIKI_PERSISTENCE", "--persistence", "sqlite or postgresql"),
        ("connection-string", "RAFIKI_CONNECTION_STRING", "--connection-string", "database connection string"),
        ("data-dir", "RAFIKI_DATA_DIR", "--data-dir", "folder for the SQLite file, logs and default stores"),
        ("checkpoint-dir", "RAFIKI_CHECKPOINT_DIR", "--checkpoint-dir", "checkpoint folder, shared by every node of a cluster"),
        ("dataset-dir", "RAFIKI_DATASET_DIR", "--dataset-dir", "dataset folder, shared by every node of a cluster"),
        ("model-plugins", "RAFIKI_MODEL_PLUGINS", "--model-plugins", "comma-separated assemblies with more model families"),
        ("discovery", "RAFIKI_DISCOVERY", "--discovery", "seed-nodes or kubernetes"),
        ("management-port", "RAFIKI_MANAGEMENT_PORT", "--management-port", "Akka.Management port for Kubernetes bootstrap"),
        ("kubernetes-service", "RAFIKI_KUBERNETES_SERVICE", "--kubernetes-service", "pods labelled app=NAME form the cluster"),
        ("required-contact-points", "RAFIKI_REQUIRED_CONTACT_POINTS", "--required-contact-points", "peers a new cluster waits for"),
    ];

    /// <summary>Builds node options from the sources.</summary>
    /// <param name="options">Command-line values by option name (such as <c>--port</c>); absent options are missing.</param>
    /// <param name="environment">Environment variables.</param>
    /// <param name="hocon">Contents of the HOCON file, or null.</param>
    /// <exception cref="NodeSettingsException">A value is malformed or the result is invalid.</exception>
    public static RafikiNodeOptions Load(
        IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string> environment, string? hocon)
    {
        Config? config = null;
        if (hocon is not null)
        {
            config = ParseHocon(hocon);
        }

        string? Value(string name, out string source)
        {
            var setting = Settings.First(s => s.Hocon == name);
            if (options.TryGetValue(setting.Option, out var fromOption))
            {
                source = setting.Option;
                return fromOption;
            }

            if (environment.TryGetValue(setting.Environment, out var fromEnvironment) && fromEnvironment.Length > 0)
            {
                source = setting.Environment;
                return fromEnvironment;
            }

            source = $"rafiki.{name} in the HOCON file";
            return config is not null && config.HasPath($"rafiki.{name}") ? ReadHocon(config, $"rafiki.{name}") : null;
        }

        var dataDirectory = Value("data-dir", out _) ?? Path.Combine(Environment.CurrentDirectory, "rafiki-data");
        var result = new RafikiNodeOptions { DataDirectory = dataDirectory, ExtraHocon = hocon };

        if (Value("roles", out var rolesSource) is { } roles)
        {
            result = result with { Roles = SplitList(roles) };
            foreach (var role in result.Roles.Where(role => !NodeRoles.All.Contains(role)))
            {
                throw new NodeSettingsException($"{rolesSource}: role '{role}' is unknown; use any of {string.Join(", ", NodeRoles.All)}.");
            }
        }

        if (Value("device-slots", out var slotsSource) is { } slots)
        {
            result = result with { DeviceSlots = ParseDeviceSlots(slots, slotsSource) };
        }

        if (Value("torch-threads", out var threadsSource) is { } threads)
        {
            result = result with { TorchThreads = ParseInt(threads, threadsSource, 1, 1024) };
        }

        if (Value("hostname", out _) is { } hostname)
        {
            result = result with { Hostname = hostname };
        }

        if (Value("port", out var portSource) is { } port)
        {
            result = result with { Port = ParseInt(port, portSource, 0, 65535) };
        }

        if (Value("http-host", out _) is { } httpHost)
        {
            result = result with { HttpHost = httpHost };
        }

        if (Value("http-port", out var httpPortSource) is { } httpPort)
        {
            result = result with { HttpPort = ParseInt(httpPort, httpPortSource, 0, 65535) };
        }

        if (Value("seed-nodes", out _) is { } seeds)
        {
            result = result with { SeedNodes = SplitList(seeds) };
        }

        if (Value("persistence", out var persistenceSource) is { } persistence)
        {
            result = result with
            {
                Persistence = persistence.ToLowerInvariant() switch
                {
                    "sqlite" => PersistenceProvider.Sqlite,
                    "postgresql" or "postgres" => PersistenceProvider.PostgreSql,
                    _ => throw new NodeSettingsException($"{persistenceSource}: '{persistence}' is unknown; use sqlite or postgresql."),
                },
            };
        }

        if (Value("model-plugins", out _) is { } plugins)
        {
            result = result with { ModelPlugins = SplitList(plugins) };
        }

        if (Value("discovery", out var discoverySource) is { } discovery)
        {
            result = result with
            {
                Discovery = discovery.ToLowerInvariant() switch
                {
                    "seed-nodes" => DiscoveryMethod.SeedNodes,
                    "kubernetes" => DiscoveryMethod.Kubernetes,
                    _ => throw new NodeSettingsException($"{discoverySource}: '{discovery}' is unknown; use seed-nodes or kubernetes."),
                },
            };
        }

        if (Value("management-port", out var managementSource) is { } managementPort)
        {
            result = result with { ManagementPort = ParseInt(managementPort, managementSource, 1, 65535) };
        }

        if (Value("kubernetes-service", out _) is { } service)
        {
            result = result with { KubernetesService = service };
        }

        if (Value("required-contact-points", out var contactSource) is { } contacts)
        {
            result = result with { RequiredContactPoints = ParseInt(contacts, contactSource, 1, 100) };
        }

        result = result with
        {
            ConnectionString = Value("connection-string", out _),
            CheckpointDirectory = Value("checkpoint-dir", out _),
            DatasetDirectory = Value("dataset-dir", out _),
        };

        var problems = result.Validate();
        return problems.Count == 0 ? result : throw new NodeSettingsException("invalid node settings: " + string.Join(" ", problems));
    }

    /// <summary>Time the HOCON parser gets before the file counts as invalid.</summary>
    private static readonly TimeSpan HoconParseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Parses the HOCON file on a worker thread. The parser of Akka 1.5 never returns on some malformed input, such
    /// as an array left open, so a parse that runs past <see cref="HoconParseTimeout"/> is reported as invalid; the
    /// process exits right after, which ends the runaway thread.
    /// </summary>
    private static Config ParseHocon(string hocon)
    {
        var parse = Task.Run(() => ConfigurationFactory.ParseString(hocon));
        try
        {
            if (!parse.Wait(HoconParseTimeout))
            {
                throw new NodeSettingsException(
                    $"the HOCON file could not be parsed within {HoconParseTimeout.TotalSeconds:0} s; look for an unclosed bracket, brace or quote.");
            }

            return parse.Result;
        }
        catch (AggregateException e) when (e.InnerException is ConfigurationException or FormatException)
        {
            throw new NodeSettingsException($"the HOCON file is invalid: {e.InnerException.Message}; fix its syntax.", e.InnerException);
        }
    }

    private static string ReadHocon(Config config, string path)
    {
        var value = config.GetValue(path);
        return value.IsArray() ? string.Join(",", value.GetArray().Select(item => item.GetString())) : value.GetString();
    }

    private static List<string> SplitList(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static List<string> ParseDeviceSlots(string value, string source)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return count is >= 1 and <= 256
                ? [.. Enumerable.Repeat("cpu", count)]
                : throw new NodeSettingsException($"{source}: {count} CPU slots is invalid; use 1 to 256.");
        }

        var devices = SplitList(value);
        foreach (var device in devices.Where(d => d != "cpu" && d != "cuda" && !d.StartsWith("cuda:", StringComparison.Ordinal)))
        {
            throw new NodeSettingsException($"{source}: device '{device}' is invalid; use a number of CPU slots, or cpu, cuda, cuda:N.");
        }

        return devices.Count > 0 ? devices : throw new NodeSettingsException($"{source}: empty; give at least one slot.");
    }

    private static int ParseInt(string value, string source, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new NodeSettingsException($"{source}: '{value}' is invalid; use a whole number from {min} to {max}.");
}
