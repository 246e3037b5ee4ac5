using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Discovery.KubernetesApi;
using Akka.Hosting;
using Akka.Management;
using Akka.Management.Cluster.Bootstrap;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rafiki.Core;
using Rafiki.Inference;
using Rafiki.Models;
using Rafiki.Models.Torch;
using Rafiki.Storage.Checkpoints;
using Rafiki.Storage.Datasets;
using Rafiki.Training.Devices;
using Rafiki.Training.Studies;
using Rafiki.Training.Trials;

namespace Rafiki.Hosting;

/// <summary>
/// One running Rafiki node: an Akka.NET cluster member with the roles of its options, its stores, and handles to
/// the actors clients talk to. <see cref="StartAsync"/> builds and starts it; dispose stops it.
/// </summary>
public sealed class RafikiNode : IAsyncDisposable
{
    /// <summary>Actor system name shared by every node of a cluster.</summary>
    public const string SystemName = "rafiki";

    /// <summary>Shards of the study region; fixed for the life of a cluster, since it decides where each study lives.</summary>
    public const int StudyShards = 30;

    private readonly IHost _host;

    private RafikiNode(IHost host, RafikiNodeOptions options, DatasetStore datasets, IParameterStore checkpoints)
    {
        _host = host;
        Options = options;
        Datasets = datasets;
        Checkpoints = checkpoints;
        System = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<IActorRegistry>();
        Studies = registry.Get<StudyRegion>();
        Trials = registry.Get<TrialRegion>();
        StudyRegistry = registry.Get<StudyRegistry>();
        InferenceJobs = registry.Get<InferenceJobs>();
    }

    public RafikiNodeOptions Options { get; }

    public ActorSystem System { get; }

    /// <summary>Study shard region (a proxy on nodes without the master role).</summary>
    public IActorRef Studies { get; }

    /// <summary>Trial shard region (a proxy on nodes without the worker role).</summary>
    public IActorRef Trials { get; }

    /// <summary>Proxy to the study registry singleton.</summary>
    public IActorRef StudyRegistry { get; }

    /// <summary>This node's inference-job manager.</summary>
    public IActorRef InferenceJobs { get; }

    public DatasetStore Datasets { get; }

    public IParameterStore Checkpoints { get; }

    /// <summary>Builds and starts a node, and waits until it has joined its cluster.</summary>
    /// <param name="options">Node settings; validated first.</param>
    /// <param name="configureLogging">Adds logging providers; by default logs go to the console.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names each one.</exception>
    public static async Task<RafikiNode> StartAsync(
        RafikiNodeOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid node settings: " + string.Join(" ", problems));
        }

        if (options.Persistence == PersistenceProvider.PostgreSql)
        {
            await PostgresCheck.ConnectAsync(options.EffectiveConnectionString, cancellationToken);
        }

        foreach (var plugin in options.ModelPlugins)
        {
            ModelZoo.LoadPlugin(plugin);
        }

        Directory.CreateDirectory(options.DataDirectory);
        var datasets = new DatasetStore(options.DatasetDirectory ?? Path.Combine(options.DataDirectory, "datasets"));
        IParameterStore checkpoints = new CachingParameterStore(
            new FileSystemParameterStore(options.CheckpointDirectory ?? Path.Combine(options.DataDirectory, "checkpoints")),
            options.CheckpointCacheBytes);

        if (options.Roles.Contains(NodeRoles.Worker))
        {
            TorchRuntime.EnsureLoaded();
            var cpuSlots = Math.Max(1, options.DeviceSlots.Count(device => device == "cpu"));
            TorchRuntime.SetThreads(options.TorchThreads ?? Math.Max(1, Environment.ProcessorCount / cpuSlots));
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (configureLogging is null)
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }
        else
        {
            configureLogging(builder.Logging);
        }

        var services = new TrainingServices(datasets, checkpoints, options.ProgressInterval);
        builder.Services.AddAkka(SystemName, akka => Configure(akka, options, services, checkpoints));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);

        var node = new RafikiNode(host, options, datasets, checkpoints);
        await node.WaitUntilUpAsync(cancellationToken);
        return node;
    }

    /// <summary>Leaves the cluster and stops the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();

        // The stopped trial actors have cancelled their threads; let them leave libtorch before the process exits.
        if (!TrainingThreads.WaitForAll(TimeSpan.FromSeconds(30)))
        {
            await Console.Error.WriteLineAsync("rafiki: training threads still ran 30 s after the node stopped; exiting anyway.");
        }
    }

    private static void Configure(AkkaConfigurationBuilder akka, RafikiNodeOptions options, TrainingServices services, IParameterStore checkpoints)
    {
        var isMaster = options.Roles.Contains(NodeRoles.Master);
        var isWorker = options.Roles.Contains(NodeRoles.Worker);

        akka.AddHocon(string.Join("\n", RafikiSerialization.Hocon, ModelActor.DispatcherHocon, ClusterDefaults.Hocon), HoconAddMode.Append)
            .AddHocon(options.ExtraHocon ?? "", HoconAddMode.Prepend)
            .ConfigureLoggers(loggers => loggers.AddLoggerFactory())
            .WithRemoting(options.Hostname, options.Port)
            .WithClustering(new ClusterOptions { Roles = [.. options.Roles], SeedNodes = [.. options.SeedNodes] })
            .WithSqlPersistence(
                options.EffectiveConnectionString,
                options.Persistence == PersistenceProvider.Sqlite ? "SQLite.MS" : "PostgreSQL.15",
                PersistenceMode.Both,
                autoInitialize: true);

        if (isWorker)
        {
            akka.WithActors((system, registry) =>
            {
                var mediator = DistributedPubSub.Get(system).Mediator;
                registry.Register<DeviceSlots>(system.ActorOf(
                    DeviceSlotsActor.Props(options.DeviceSlots, mediator, Cluster.Get(system).SelfAddress), "device-slots"));
                system.ActorOf(SlotDirectoryActor.Props(), "slot-directory");
                var settings = ClusterShardingSettings.Create(system)
                    .WithRole(NodeRoles.Worker)
                    .WithStateStoreMode(StateStoreMode.DData)
                    .WithRememberEntities(false);
                registry.Register<TrialRegion>(ClusterSharding.Get(system).Start(
                    "trial",
                    trialId => TrialActor.Props(trialId, services, registry.Get<StudyRegion>(), registry.Get<DeviceSlots>()),
                    settings,
                    new TrialMessageExtractor(),
                    new SlotAwareAllocationStrategy(),
                    PoisonPill.Instance));
            });
        }
        else
        {
            akka.WithShardRegionProxy<TrialRegion>("trial", NodeRoles.Worker, new TrialMessageExtractor());
        }

        if (isMaster)
        {
            akka.WithShardRegion<StudyRegion>(
                "study",
                (system, registry, _) => studyId => StudyMasterActor.Props(
                    studyId, registry.Get<TrialRegion>(), registry.Get<StudyRegistry>()),
                new StudyMessageExtractor(StudyShards),
                ShardingFor(NodeRoles.Master));
            akka.WithSingleton<StudyRegistry>(
                "study-registry",
                (_, registry, _) => StudyRegistryActor.Props(registry.Get<StudyRegion>()),
                new ClusterSingletonOptions { Role = NodeRoles.Master },
                createProxyToo: true);
        }
        else
        {
            akka.WithShardRegionProxy<StudyRegion>("study", NodeRoles.Master, new StudyMessageExtractor(StudyShards));
            akka.WithSingletonProxy<StudyRegistry>("study-registry", new ClusterSingletonOptions { Role = NodeRoles.Master });
        }

        ConfigureInference(akka, isWorker, checkpoints);

        if (options.Discovery == DiscoveryMethod.Kubernetes)
        {
            // NOTE: this path is checked only statically here (the manifests in deploy/kubernetes); no test runs it
            // against a Kubernetes API server.
            akka.WithAkkaManagement(hostName: options.Hostname, port: options.ManagementPort, bindHostname: "0.0.0.0", bindPort: options.ManagementPort)
                .WithClusterBootstrap(serviceName: options.KubernetesService, portName: "management", requiredContactPoints: options.RequiredContactPoints)
                .WithKubernetesDiscovery("app={0}");
        }
        else if (options.SeedNodes.Count == 0)
        {
            akka.AddStartup((system, _) =>
            {
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        }
    }

    /// <summary>
    /// Registers the "model" shard region, whose entities are model actors on worker nodes (a proxy elsewhere), and
    /// the node's inference-job manager, whose routers start their model actors through that region.
    /// </summary>
    private static void ConfigureInference(AkkaConfigurationBuilder akka, bool isWorker, IParameterStore checkpoints)
    {
        const int modelShards = 100;
        var extractor = new ModelMessageExtractor(modelShards);
        if (isWorker)
        {
            akka.WithShardRegion<ModelRegion>(
                "model", (_, _, _) => entityId => ModelActor.Props(entityId, checkpoints), extractor, ShardingFor(NodeRoles.Worker));
        }
        else
        {
            akka.WithShardRegionProxy<ModelRegion>("model", NodeRoles.Worker, extractor);
        }

        akka.WithActors((system, registry) =>
            registry.Register<InferenceJobs>(system.ActorOf(InferenceJobsActor.Props(registry.Get<ModelRegion>()), "inference-jobs")));
    }

    // Coordinator state lives in distributed data, not the journal: after a crash a persisted coordinator would
    // recover regions of the dead incarnation and wait for them to be declared down before it hands out shards.
    private static ShardOptions ShardingFor(string role) => new()
    {
        Role = role,
        StateStoreMode = StateStoreMode.DData,
        RememberEntities = false,
        ShouldPassivateIdleEntities = false,
    };

    private async Task WaitUntilUpAsync(CancellationToken cancellationToken)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(System).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(cancellationToken);
    }
}
