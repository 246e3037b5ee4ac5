using Rafiki.Hosting;
using Rafiki.Testing;

namespace Rafiki.Node.Tests;

public class NodeSettingsTests
{
    private static readonly Dictionary<string, string> None = [];

    [Fact]
    public void Option_beats_environment_beats_file()
    {
        var hocon = "rafiki { port = 4100, hostname = \"10.1.1.1\", roles = [master], device-slots = 3 }";
        var environment = new Dictionary<string, string> { ["RAFIKI_PORT"] = "4200", ["RAFIKI_ROLES"] = "worker" };
        var options = new Dictionary<string, string> { ["--port"] = "4300" };

        var settings = NodeSettings.Load(options, environment, hocon);

        Assert.Equal(4300, settings.Port);
        Assert.Equal(["worker"], settings.Roles);
        Assert.Equal("10.1.1.1", settings.Hostname);
        Assert.Equal(["cpu", "cpu", "cpu"], settings.DeviceSlots);
    }

    [Fact]
    public void Defaults_apply_without_sources()
    {
        var settings = NodeSettings.Load(None, None, null);

        Assert.Equal(NodeRoles.All, settings.Roles);
        Assert.Equal("127.0.0.1", settings.Hostname);
        Assert.Equal(PersistenceProvider.Sqlite, settings.Persistence);
    }

    [Fact]
    public void Device_list_and_postgres_parse()
    {
        var environment = new Dictionary<string, string>
        {
            ["RAFIKI_DEVICE_SLOTS"] = "cuda:0, cuda:1",
            ["RAFIKI_PERSISTENCE"] = "postgresql",
            ["RAFIKI_CONNECTION_STRING"] = "Host=db;Database=rafiki",
            ["RAFIKI_SEED_NODES"] = "akka.tcp://rafiki@a:1,akka.tcp://rafiki@b:2",
        };

        var settings = NodeSettings.Load(None, environment, null);

        Assert.Equal(["cuda:0", "cuda:1"], settings.DeviceSlots);
        Assert.Equal(PersistenceProvider.PostgreSql, settings.Persistence);
        Assert.Equal(["akka.tcp://rafiki@a:1", "akka.tcp://rafiki@b:2"], settings.SeedNodes);
    }

    [Theory]
    [InlineData("--port", "abc", "--port: 'abc' is invalid; use a whole number from 0 to 65535.")]
    [InlineData("--port", "70000", "--port: '70000' is invalid")]
    [InlineData("--roles", "master,boss", "--roles: role 'boss' is unknown")]
    [InlineData("--device-slots", "0", "--device-slots: 0 CPU slots is invalid")]
    [InlineData("--device-slots", "tpu:0", "--device-slots: device 'tpu:0' is invalid")]
    [InlineData("--persistence", "mongo", "--persistence: 'mongo' is unknown; use sqlite or postgresql.")]
    [InlineData("--torch-threads", "0", "--torch-threads: '0' is invalid")]
    public void Invalid_option_names_setting(string option, string value, string expected)
    {
        var error = Assert.Throws<NodeSettingsException>(() => NodeSettings.Load(new Dictionary<string, string> { [option] = value }, None, null));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_environment_value_names_variable()
    {
        var error = Assert.Throws<NodeSettingsException>(() =>
            NodeSettings.Load(None, new Dictionary<string, string> { ["RAFIKI_PORT"] = "-1" }, null));

        Assert.Contains("RAFIKI_PORT: '-1' is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_file_value_names_path()
    {
        var error = Assert.Throws<NodeSettingsException>(() => NodeSettings.Load(None, None, "rafiki.persistence = oracle"));

        Assert.Contains("rafiki.persistence in the HOCON file: 'oracle' is unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_hocon_is_reported()
    {
        var error = Assert.Throws<NodeSettingsException>(() => NodeSettings.Load(None, None, "rafiki [ ="));

        Assert.Contains("the HOCON file is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unclosed_hocon_array_is_reported()
    {
        // Akka's parser never returns on this input; the node must still fail at start.
        var error = Assert.Throws<NodeSettingsException>(() => NodeSettings.Load(None, None, "rafiki {\n roles = [master\n port = 4053\n"));

        Assert.Contains("could not be parsed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_connection_string_is_rejected()
    {
        var error = Assert.Throws<NodeSettingsException>(() =>
            NodeSettings.Load(new Dictionary<string, string> { ["--persistence"] = "postgresql" }, None, null));

        Assert.Contains("connectionString: empty with postgresql persistence", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Example_config_file_loads()
    {
        var hocon = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "hocon", "rafiki-node.hocon"));

        var settings = NodeSettings.Load(None, None, hocon);

        Assert.Equal(4053, settings.Port);
        Assert.Equal(NodeRoles.All, settings.Roles);
        Assert.Equal(["cpu"], settings.DeviceSlots);
        Assert.Contains("stable-after = 5s", settings.ExtraHocon, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_setting_exits_with_message()
    {
        using var node = ChildProcess.Start("rafiki-node", "--port", "abc");

        var exitCode = await node.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, exitCode);
        Assert.Contains("rafiki-node: --port: 'abc' is invalid", node.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_config_file_exits_with_message()
    {
        using var node = ChildProcess.Start("rafiki-node", "--config", "/nonexistent/rafiki.hocon");

        var exitCode = await node.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(2, exitCode);
        Assert.Contains("config file '/nonexistent/rafiki.hocon' not found", node.Output, StringComparison.Ordinal);
    }
}
