using Rafiki.Hosting;
using Rafiki.Testing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Rafiki.Node.Tests;

/// <summary>
/// Static checks of docker-compose.yml and deploy/kubernetes: Docker and a Kubernetes API server do not run here,
/// so these tests parse the files and cross-check names, ports, roles and environment variables against the node's
/// own settings parser, which a container would run at start.
/// </summary>
public class DeploymentFilesTests
{
    private static readonly HashSet<string> KnownVariables =
        [.. NodeSettings.Settings.Select(s => s.Environment), Rafiki.Api.ApiOptions.AdminPasswordVariable];

    [Fact]
    public void Compose_nodes_have_valid_settings()
    {
        foreach (var (name, environment) in ComposeNodes())
        {
            var unknown = environment.Keys.Where(key => key.StartsWith("RAFIKI_", StringComparison.Ordinal) && !KnownVariables.Contains(key));
            Assert.True(!unknown.Any(), $"service {name} sets unknown variables {string.Join(", ", unknown)}");
            var settings = NodeSettings.Load(new Dictionary<string, string>(), environment, null);
            Assert.Equal(PersistenceProvider.PostgreSql, settings.Persistence);
            Assert.Equal("/shared/checkpoints", settings.CheckpointDirectory);
        }
    }

    [Fact]
    public void Compose_has_master_api_and_two_workers()
    {
        var settings = ComposeNodes().Select(node => NodeSettings.Load(new Dictionary<string, string>(), node.Environment, null)).ToList();
        var roles = settings.Select(s => s.Roles).ToList();
        var api = Assert.Single(settings, s => s.Roles.Contains(NodeRoles.Master) && s.Roles.Contains(NodeRoles.Api));
        var published = List(Map(Map(Compose()["services"])["master"])["ports"]);

        Assert.Equal("0.0.0.0", api.HttpHost);
        Assert.Contains($"{api.HttpPort}:{api.HttpPort}", published);
        Assert.Equal(2, roles.Count(r => r.SequenceEqual([NodeRoles.Worker])));
    }

    [Fact]
    public void Compose_seeds_point_at_master_service()
    {
        var nodes = ComposeNodes().ToDictionary(node => node.Name, node => node.Environment);

        foreach (var (name, environment) in nodes)
        {
            foreach (var seed in environment["RAFIKI_SEED_NODES"].Split(','))
            {
                var address = Akka.Actor.Address.Parse(seed);
                var target = nodes.FirstOrDefault(pair => pair.Value["RAFIKI_HOSTNAME"] == address.Host);
                Assert.True(target.Key is not null, $"{name}: seed {seed} names no service's RAFIKI_HOSTNAME");
                Assert.Equal(target.Value["RAFIKI_PORT"], address.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Contains(NodeRoles.Master, target.Value["RAFIKI_ROLES"], StringComparison.Ordinal);
                Assert.Equal(RafikiNode.SystemName, address.System);
            }
        }
    }

    [Fact]
    public void Compose_references_exist()
    {
        var compose = Compose();
        var services = Map(compose["services"]);
        var volumes = Map(compose["volumes"]).Keys.ToHashSet();

        foreach (var (name, value) in services)
        {
            var service = Map(value);
            foreach (var dependency in service.TryGetValue("depends_on", out var dependsOn) ? Keys(dependsOn) : [])
            {
                Assert.True(services.ContainsKey(dependency), $"{name} depends on unknown service {dependency}");
            }

            foreach (var volume in service.TryGetValue("volumes", out var mounts) ? List(mounts) : [])
            {
                Assert.Contains(volume.Split(':')[0], volumes);
            }

            if (service.TryGetValue("build", out var build))
            {
                var dockerfile = Path.Combine(Fixtures.RepositoryRoot, (string)Map(build)["context"], (string)Map(build)["dockerfile"]);
                Assert.True(File.Exists(dockerfile), $"{name}: {dockerfile} not found");
            }
        }
    }

    [Fact]
    public void Kubernetes_documents_are_well_formed()
    {
        foreach (var (file, document) in KubernetesDocuments())
        {
            Assert.True(document.ContainsKey("apiVersion"), $"{file}: a document lacks apiVersion");
            var metadata = Map(document["metadata"]);
            Assert.True(metadata.ContainsKey("name"), $"{file}: a {document["kind"]} lacks metadata.name");
            if ((string)document["kind"] != "Namespace")
            {
                Assert.Equal("rafiki", metadata["namespace"]);
            }
        }
    }

    [Fact]
    public void Kubernetes_workloads_select_own_pods()
    {
        foreach (var (file, workload) in Workloads())
        {
            var spec = Map(workload["spec"]);
            var selector = Map(Map(spec["selector"])["matchLabels"]);
            var labels = Map(Map(Map(spec["template"])["metadata"])["labels"]);
            foreach (var (key, value) in selector)
            {
                Assert.True(labels.TryGetValue(key, out var label) && Equals(label, value), $"{file}: selector {key}={value} does not match the pod labels");
            }
        }
    }

    [Fact]
    public void Kubernetes_nodes_have_valid_settings_and_ports()
    {
        var secrets = KubernetesDocuments().Where(d => (string)d.Document["kind"] == "Secret")
            .ToDictionary(d => (string)Map(d.Document["metadata"])["name"], d => Map(d.Document["stringData"]));
        var nodeWorkloads = Workloads().Where(w => Containers(w.Document).Any(c => (string)c["name"] == "rafiki-node")).ToList();
        Assert.Equal(2, nodeWorkloads.Count);

        foreach (var (file, workload) in nodeWorkloads)
        {
            var container = Containers(workload).Single(c => (string)c["name"] == "rafiki-node");
            var environment = new Dictionary<string, string>();
            foreach (var variable in List<Dictionary<object, object>>(container["env"]))
            {
                var name = (string)variable["name"];
                Assert.True(!name.StartsWith("RAFIKI_", StringComparison.Ordinal) || KnownVariables.Contains(name), $"{file}: unknown variable {name}");
                environment[name] = variable.TryGetValue("value", out var value) ? (string)value : Resolve(file, Map(variable["valueFrom"]), secrets);
            }

            var settings = NodeSettings.Load(new Dictionary<string, string>(), environment, null);
            var ports = List<Dictionary<object, object>>(container["ports"]).ToDictionary(p => (string)p["name"], p => Convert.ToInt32(p["containerPort"], System.Globalization.CultureInfo.InvariantCulture));
            var labels = Map(Map(Map(Map(workload["spec"])["template"])["metadata"])["labels"]);
            Assert.Equal(DiscoveryMethod.Kubernetes, settings.Discovery);
            Assert.Equal(settings.Port, ports["remoting"]);
            Assert.Equal(settings.ManagementPort, ports["management"]);
            Assert.Equal(settings.KubernetesService, labels["app"]);
            if (settings.Roles.Contains(NodeRoles.Api))
            {
                Assert.Equal(settings.HttpPort, ports["http"]);
                Assert.Equal("0.0.0.0", settings.HttpHost);
            }
        }
    }

    [Fact]
    public void Kubernetes_services_reach_pod_ports()
    {
        var documents = KubernetesDocuments().ToList();
        foreach (var (file, service) in documents.Where(d => (string)d.Document["kind"] == "Service"))
        {
            var selector = Map(Map(service["spec"])["selector"]);
            var pods = Workloads().Where(w =>
            {
                var labels = Map(Map(Map(Map(w.Document["spec"])["template"])["metadata"])["labels"]);
                return selector.All(pair => labels.TryGetValue(pair.Key, out var label) && Equals(label, pair.Value));
            }).ToList();
            Assert.True(pods.Count > 0, $"{file}: service {Map(service["metadata"])["name"]} selects no pods");
            var portNames = pods.SelectMany(p => Containers(p.Document)).SelectMany(c => List<Dictionary<object, object>>(c["ports"])).Select(p => (string)p["name"]).ToHashSet();
            foreach (var port in List<Dictionary<object, object>>(Map(service["spec"])["ports"]))
            {
                Assert.Contains((string)port["targetPort"], portNames);
            }
        }
    }

    [Fact]
    public void Kubernetes_references_exist()
    {
        var documents = KubernetesDocuments().ToList();
        string[] Names(string kind) => [.. documents.Where(d => (string)d.Document["kind"] == kind).Select(d => (string)Map(d.Document["metadata"])["name"])];

        foreach (var (file, workload) in Workloads())
        {
            var pod = Map(Map(Map(workload["spec"])["template"])["spec"]);
            if (pod.TryGetValue("serviceAccountName", out var account))
            {
                Assert.Contains((string)account, Names("ServiceAccount"));
            }

            foreach (var volume in pod.TryGetValue("volumes", out var volumes) ? List<Dictionary<object, object>>(volumes) : [])
            {
                Assert.Contains((string)Map(volume["persistentVolumeClaim"])["claimName"], Names("PersistentVolumeClaim"));
            }
        }

        foreach (var (_, binding) in documents.Where(d => (string)d.Document["kind"] == "RoleBinding"))
        {
            Assert.Contains((string)Map(binding["roleRef"])["name"], Names("Role"));
            Assert.All(List<Dictionary<object, object>>(binding["subjects"]), subject => Assert.Contains((string)subject["name"], Names("ServiceAccount")));
        }
    }

    private static string Resolve(string file, Dictionary<object, object> source, Dictionary<string, Dictionary<object, object>> secrets)
    {
        if (source.TryGetValue("fieldRef", out _))
        {
            return "10.0.0.10"; // status.podIP at run time
        }

        var reference = Map(source["secretKeyRef"]);
        Assert.True(secrets.TryGetValue((string)reference["name"], out var secret), $"{file}: secret {reference["name"]} not found");
        Assert.True(secret.TryGetValue(reference["key"], out var value), $"{file}: secret key {reference["key"]} not found");
        return (string)value;
    }

    private static IEnumerable<(string Name, Dictionary<string, string> Environment)> ComposeNodes() =>
        Map(Compose()["services"])
            .Where(pair => Map(pair.Value).TryGetValue("image", out var image) && ((string)image).StartsWith("rafiki-node", StringComparison.Ordinal))
            .Select(pair => ((string)pair.Key, Map(Map(pair.Value)["environment"]).ToDictionary(e => (string)e.Key, e => (string)e.Value)));

    private static Dictionary<object, object> Compose()
    {
        using var reader = new StreamReader(Path.Combine(Fixtures.RepositoryRoot, "docker-compose.yml"));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static IEnumerable<(string File, Dictionary<object, object> Document)> KubernetesDocuments()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot, "deploy", "kubernetes"), "*.yaml").Order())
        {
            using var reader = new StreamReader(file);
            var parser = new Parser(reader);
            parser.Consume<YamlDotNet.Core.Events.StreamStart>();
            var deserializer = new DeserializerBuilder().Build();
            while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
            {
                yield return (Path.GetFileName(file), deserializer.Deserialize<Dictionary<object, object>>(parser));
            }
        }
    }

    private static IEnumerable<(string File, Dictionary<object, object> Document)> Workloads() =>
        KubernetesDocuments().Where(d => (string)d.Document["kind"] is "Deployment" or "StatefulSet");

    private static IEnumerable<Dictionary<object, object>> Containers(Dictionary<object, object> workload) =>
        List<Dictionary<object, object>>(Map(Map(Map(workload["spec"])["template"])["spec"])["containers"]);

    private static Dictionary<object, object> Map(object value) => (Dictionary<object, object>)value;

    private static List<string> List(object value) => [.. ((List<object>)value).Cast<string>()];

    private static List<T> List<T>(object value) => [.. ((List<object>)value).Cast<T>()];

    private static IEnumerable<string> Keys(object value) => value is List<object> list ? list.Cast<string>() : Map(value).Keys.Cast<string>();
}
