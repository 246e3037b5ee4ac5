using Microsoft.Extensions.Logging;
using Rafiki.Client;
using Rafiki.Client.Contracts;
using Rafiki.Hosting;
using Rafiki.Testing;

namespace Rafiki.Api.Tests;

/// <summary>
/// One real node and API server on a loopback port, shared by every test: an admin, three users, datasets
/// uploaded through the API, a finished train job of two one-epoch trials and a running inference job.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime, IDisposable
{
    public const string AdminPassword = "bootstrap-admin-secret-41";
    public const string AlicePassword = "alice-password-secret-42";
    public const string BobPassword = "bob-password-secret-43";
    public const string CarolPassword = "carol-password-secret-44";
    public const int MaxUploadBytes = 4 << 20;
    public const int MaxPredictQueries = 64;

    private readonly TemporaryDirectory _folder = new();
    private readonly List<HttpClient> _clients = [];

    public CapturedLogs Logs { get; } = new();

    public ManualClock Clock { get; } = new();

    public RafikiNode Node { get; private set; } = null!;

    public RafikiApiServer Server { get; private set; } = null!;

    public ApiOptions Options { get; private set; } = null!;

    /// <summary>The bootstrap admin.</summary>
    public RafikiClient Admin { get; private set; } = null!;

    /// <summary>An app developer who owns the datasets and jobs below.</summary>
    public RafikiClient Alice { get; private set; } = null!;

    /// <summary>Another app developer, who must not see Alice's data.</summary>
    public RafikiClient Bob { get; private set; } = null!;

    /// <summary>A model developer.</summary>
    public RafikiClient Carol { get; private set; } = null!;

    public TokenResponse AdminToken { get; private set; } = null!;

    public TokenResponse AliceToken { get; private set; } = null!;

    public TokenResponse BobToken { get; private set; } = null!;

    public TokenResponse CarolToken { get; private set; } = null!;

    /// <summary>An API key of Alice's application.</summary>
    public CreatedApiKey AliceKey { get; private set; } = null!;

    public DatasetView TrainIdx { get; private set; } = null!;

    public DatasetView ValidationZip { get; private set; } = null!;

    public DatasetView BobDataset { get; private set; } = null!;

    public TrainJobView TrainJob { get; private set; } = null!;

    public InferenceJobView InferenceJob { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await RafikiNode.StartAsync(
            new RafikiNodeOptions { DataDirectory = _folder.Path, ProgressInterval = TimeSpan.FromMilliseconds(200) },
            logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(Logs));
        Options = new ApiOptions
        {
            Port = 0,
            BootstrapAdminPassword = AdminPassword,
            PasswordIterations = 20_000,
            MaxUploadBytes = MaxUploadBytes,
            MaxPredictQueries = MaxPredictQueries,
            Clock = Clock,
        };
        Server = await RafikiApi.StartAsync(Node, Options, logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));

        Admin = NewClient();
        AdminToken = await Admin.LoginAsync("admin", AdminPassword);
        await Admin.CreateUserAsync(new CreateUserRequest("alice", AlicePassword, UserRoles.AppDeveloper));
        await Admin.CreateUserAsync(new CreateUserRequest("bob", BobPassword, UserRoles.AppDeveloper));
        await Admin.CreateUserAsync(new CreateUserRequest("carol", CarolPassword, UserRoles.ModelDeveloper));
        Alice = NewClient();
        AliceToken = await Alice.LoginAsync("alice", AlicePassword);
        Bob = NewClient();
        BobToken = await Bob.LoginAsync("bob", BobPassword);
        Carol = NewClient();
        CarolToken = await Carol.LoginAsync("carol", CarolPassword);
        AliceKey = await Alice.CreateApiKeyAsync("shop-app");

        await using (var images = File.OpenRead(FashionFiles.TrainImages))
        await using (var labels = File.OpenRead(FashionFiles.TrainLabels))
        {
            TrainIdx = await Alice.UploadIdxDatasetAsync("fashion-train", images, labels);
        }

        ValidationZip = await Alice.UploadImageZipDatasetAsync("fashion-test", new MemoryStream(FashionFiles.TestZip()));
        await using (var images = File.OpenRead(FashionFiles.TestImagesPath))
        await using (var labels = File.OpenRead(FashionFiles.TestLabelsPath))
        {
            BobDataset = await Bob.UploadIdxDatasetAsync("bob-test", images, labels);
        }

        var created = await Alice.CreateTrainJobAsync(new CreateTrainJobRequest(
            "fashion", TaskNames.ImageClassification, TrainIdx.Id, ValidationZip.Id, ["small-cnn"], new TrainJobBudget(2, 1), Seed: 1));
        TrainJob = await Alice.WaitForTrainJobAsync(created.Id, TimeSpan.FromMinutes(5));
        InferenceJob = await Alice.CreateInferenceJobAsync(new CreateInferenceJobRequest(TrainJob.Id));
    }

    /// <summary>Returns a client of the server with no credentials.</summary>
    public RafikiClient NewClient() => new(NewHttpClient());

    /// <summary>Returns a raw HTTP client of the server; the fixture disposes it.</summary>
    public HttpClient NewHttpClient()
    {
        var http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        _clients.Add(http);
        return http;
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
        await Node.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
