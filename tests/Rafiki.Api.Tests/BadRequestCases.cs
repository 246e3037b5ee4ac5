using System.Net;
using System.Text;
using System.Text.Json;
using static Rafiki.Api.Tests.TestUploads;

namespace Rafiki.Api.Tests;

/// <summary>One invalid or unauthorized request and the response the server must return.</summary>
/// <param name="Send">Sends the request with the fixture's users and data.</param>
/// <param name="Status">Expected status.</param>
/// <param name="Mentions">
/// Text the problem details must contain: the field, the value or the reason. <c>{trainIdx}</c>, <c>{bobDataset}</c>
/// and <c>{trainJob}</c> stand for the ids of the fixture's data.
/// </param>
public sealed record BadRequestCase(Func<ApiFixture, HttpClient, Task<HttpResponseMessage>> Send, HttpStatusCode Status, params string[] Mentions);

/// <summary>The table of bad requests, by name.</summary>
public static class BadRequestCases
{
    private const HttpStatusCode BadRequest = HttpStatusCode.BadRequest;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;

    public static IReadOnlyDictionary<string, BadRequestCase> All { get; } = new Dictionary<string, BadRequestCase>
    {
        // Credentials and roles.
        ["missing token"] = new((f, h) => Send(h, HttpMethod.Get, "datasets", null), HttpStatusCode.Unauthorized, "missing credentials"),
        ["garbage token"] = new((f, h) => Send(h, HttpMethod.Get, "datasets", "not-a-token"), HttpStatusCode.Unauthorized, "neither a token"),
        ["unknown token"] = new((f, h) => Send(h, HttpMethod.Get, "datasets", "rft_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            HttpStatusCode.Unauthorized, "unknown or revoked"),
        ["expired token"] = new(SendWithExpiredTokenAsync, HttpStatusCode.Unauthorized, "expired at"),
        ["basic auth scheme"] = new((f, h) => SendWithHeader(h, "Authorization", "Basic YWxpY2U6eA=="), HttpStatusCode.Unauthorized, "'Basic'"),
        ["revoked api key"] = new(SendWithRevokedKeyAsync, HttpStatusCode.Unauthorized, "API key is unknown or revoked"),
        ["wrong password"] = new((f, h) => Send(h, HttpMethod.Post, "tokens", null, Json("""{"username": "alice", "password": "wrong-password-123"}""")),
            HttpStatusCode.Unauthorized, "invalid user name or password"),
        ["unknown user login"] = new((f, h) => Send(h, HttpMethod.Post, "tokens", null, Json("""{"username": "mallory", "password": "whatever-123456"}""")),
            HttpStatusCode.Unauthorized, "invalid user name or password"),
        ["model developer deploys"] = new((f, h) => Send(h, HttpMethod.Post, "inference-jobs", f.CarolToken.Token, Json($$"""{"trainJobId": "{{f.TrainJob.Id}}"}""")),
            HttpStatusCode.Forbidden, "role 'model-developer'", "deploy inference jobs"),
        ["app developer creates user"] = new((f, h) => Send(h, HttpMethod.Post, "users", f.AliceToken.Token,
                Json("""{"username": "eve", "password": "eve-password-1234", "role": "admin"}""")),
            HttpStatusCode.Forbidden, "role 'app-developer'", "manage users"),
        ["api key uploads dataset"] = new((f, h) => Send(h, HttpMethod.Post, "datasets", f.AliceKey.Secret, Form(Fields("jsonl"), ("file", "{}"u8.ToArray()))),
            HttpStatusCode.Forbidden, "API key may not"),
        ["app developer reads metrics"] = new((f, h) => Send(h, HttpMethod.Get, "metrics", f.AliceToken.Token), HttpStatusCode.Forbidden, "read metrics"),

        // Malformed and mistyped JSON.
        ["malformed json"] = new((f, h) => Send(h, HttpMethod.Post, "train-jobs", f.AliceToken.Token, Json("""{"name": "x", """)),
            BadRequest, "malformed JSON"),
        ["wrong type"] = new((f, h) => Send(h, HttpMethod.Post, "train-jobs", f.AliceToken.Token, Json("""{"name": "x", "budget": {"maxTrials": "five"}}""")),
            BadRequest, "budget.maxTrials", "\"five\""),
        ["unknown member"] = new((f, h) => Send(h, HttpMethod.Post, "train-jobs", f.AliceToken.Token, Json("""{"nmae": "x"}""")),
            BadRequest, "nmae", "unknown member"),
        ["empty body"] = new((f, h) => Send(h, HttpMethod.Post, "train-jobs", f.AliceToken.Token, Json("")), BadRequest, "body", "empty"),
        ["array body"] = new((f, h) => Send(h, HttpMethod.Post, "train-jobs", f.AliceToken.Token, Json("[1, 2]")), BadRequest, "body", "[1, 2]"),
        ["plain text body"] = new((f, h) => Send(h, HttpMethod.Post, "train-jobs", f.AliceToken.Token, new StringContent("name=x")),
            HttpStatusCode.UnsupportedMediaType, "text/plain"),
        ["missing name"] = new((f, h) => TrainJob(f, h, name: null), BadRequest, "name: missing"),
        ["unknown task"] = new((f, h) => TrainJob(f, h, task: "painting"), BadRequest, "task", "'painting'"),
        ["unknown model family"] = new((f, h) => TrainJob(f, h, models: "[\"gpt\"]"), BadRequest, "models[0]", "'gpt'"),
        ["zero trials"] = new((f, h) => TrainJob(f, h, budget: """{"maxTrials": 0, "maxEpochs": 1}"""), BadRequest, "budget.maxTrials", "0 is invalid"),
        ["unknown advisor"] = new((f, h) => TrainJob(f, h, extra: ", \"advisor\": \"oracle\""), BadRequest, "advisor", "'oracle'"),
        ["unknown knob in narrowing"] = new((f, h) => TrainJob(f, h, extra: ", \"knobs\": {\"small-cnn\": {\"no_such_knob\": [1]}}"),
            BadRequest, "knobs.small-cnn", "'no_such_knob'"),
        ["text task without models"] = new((f, h) => TrainJob(f, h, task: "text-classification"), BadRequest, "text-classification"),
        ["bad best count"] = new((f, h) => Send(h, HttpMethod.Get, $"train-jobs/{f.TrainJob.Id}/trials/best?count=abc", f.AliceToken.Token),
            BadRequest, "count", "abc"),

        // Unknown ids and other users' ids.
        ["unknown dataset"] = new((f, h) => Send(h, HttpMethod.Get, "datasets/ds-20260101-000000", f.AliceToken.Token), NotFound, "ds-20260101-000000"),
        ["other user's dataset"] = new((f, h) => Send(h, HttpMethod.Get, $"datasets/{f.BobDataset.Id}", f.AliceToken.Token), NotFound, "{bobDataset}"),
        ["delete other user's dataset"] = new((f, h) => Send(h, HttpMethod.Delete, $"datasets/{f.TrainIdx.Id}", f.BobToken.Token), NotFound, "{trainIdx}"),
        ["train on other user's dataset"] = new((f, h) => TrainJob(f, h, train: f.BobDataset.Id), BadRequest, "trainDatasetId", "{bobDataset}"),
        ["unknown train job"] = new((f, h) => Send(h, HttpMethod.Get, "train-jobs/train-x", f.AliceToken.Token), NotFound, "train-x"),
        ["other user's train job"] = new((f, h) => Send(h, HttpMethod.Get, $"train-jobs/{f.TrainJob.Id}", f.BobToken.Token), NotFound, "{trainJob}"),
        ["stop other user's train job"] = new((f, h) => Send(h, HttpMethod.Post, $"train-jobs/{f.TrainJob.Id}/stop", f.BobToken.Token), NotFound, "{trainJob}"),
        ["deploy unknown train job"] = new((f, h) => Send(h, HttpMethod.Post, "inference-jobs", f.AliceToken.Token, Json("""{"trainJobId": "train-x"}""")),
            BadRequest, "trainJobId", "train-x"),
        ["deploy unknown trial"] = new((f, h) => Deploy(f, h, $$"""{"trainJobId": "{{f.TrainJob.Id}}", "trialIds": ["t-x"]}"""), BadRequest, "trialIds[0]", "t-x"),
        ["deploy too many best"] = new((f, h) => Deploy(f, h, $$"""{"trainJobId": "{{f.TrainJob.Id}}", "bestK": 99}"""), BadRequest, "bestK", "99"),
        ["deploy zero batch size"] = new((f, h) => Deploy(f, h, $$$"""{"trainJobId": "{{{f.TrainJob.Id}}}", "settings": {"maxBatchSize": 0}}"""),
            BadRequest, "settings.maxBatchSize", "0 is invalid"),
        ["deploy huge batch size"] = new((f, h) => DeployWith(f, h, """{"maxBatchSize": 5000}"""),
            BadRequest, "settings.maxBatchSize", "5000 is invalid", "use 1 to 4096"),
        ["deploy zero tau"] = new((f, h) => DeployWith(f, h, """{"tauMs": 0}"""), BadRequest, "settings.tauMs", "0 is invalid", "above 0"),
        ["deploy negative tau"] = new((f, h) => DeployWith(f, h, """{"tauMs": -5}"""), BadRequest, "settings.tauMs", "-5 is invalid"),
        ["deploy NaN tau"] = new((f, h) => DeployWith(f, h, """{"tauMs": "NaN"}"""), BadRequest, "settings.tauMs", "NaN is invalid"),
        ["deploy tau above an hour"] = new((f, h) => DeployWith(f, h, """{"tauMs": 1e10}"""),
            BadRequest, "settings.tauMs", "10000000000 is too large", "at most 3600000"),
        ["deploy unknown policy"] = new((f, h) => DeployWith(f, h, """{"policy": "fastest"}"""),
            BadRequest, "settings.policy", "'fastest' is unknown", "greedy, none, fixed-wait, aimd"),
        ["deploy negative margin"] = new((f, h) => DeployWith(f, h, """{"marginMs": -1}"""),
            BadRequest, "settings.marginMs", "-1 is invalid", "0 or more"),
        ["deploy margin not below tau"] = new((f, h) => DeployWith(f, h, """{"tauMs": 5, "marginMs": 5}"""),
            BadRequest, "settings.marginMs", "5 is not below tauMs (5)", "smaller than the latency target"),
        ["deploy negative max wait"] = new((f, h) => DeployWith(f, h, """{"maxWaitMs": -2}"""),
            BadRequest, "settings.maxWaitMs", "-2 is invalid", "0 or more"),
        ["deploy zero queue limit"] = new((f, h) => DeployWith(f, h, """{"queueLimit": 0}"""),
            BadRequest, "settings.queueLimit", "0 is invalid", "1 or more"),
        ["deploy huge queue limit"] = new((f, h) => DeployWith(f, h, """{"queueLimit": 2000000000}"""),
            BadRequest, "settings.queueLimit", "2000000000 is too large", "1 to 65536"),
        ["deploy unknown overdue action"] = new((f, h) => DeployWith(f, h, """{"overdueAction": "drop"}"""),
            BadRequest, "settings.overdueAction", "'drop' is unknown", "serve-late or reject"),
        ["deploy zero max lateness"] = new((f, h) => DeployWith(f, h, """{"maxLateMs": 0}"""),
            BadRequest, "settings.maxLateMs", "0 is invalid", "above 0 milliseconds"),
        ["deploy NaN max lateness"] = new((f, h) => DeployWith(f, h, """{"maxLateMs": "NaN"}"""),
            BadRequest, "settings.maxLateMs", "NaN is invalid"),
        ["deploy max lateness above an hour"] = new((f, h) => DeployWith(f, h, """{"maxLateMs": 1e10}"""),
            BadRequest, "settings.maxLateMs", "10000000000 is too large", "at most 3600000"),
        ["deploy several bad settings"] = new((f, h) => DeployWith(f, h, """{"tauMs": 0, "policy": "lifo", "queueLimit": -1}"""),
            BadRequest, "settings.tauMs", "settings.policy: 'lifo'", "settings.queueLimit: -1"),
        ["predict unknown job"] = new((f, h) => Send(h, HttpMethod.Post, "inference-jobs/infer-x/predict", f.AliceToken.Token, Json("""{"query": "AA=="}""")),
            NotFound, "infer-x"),
        ["predict other user's job"] = new((f, h) => Predict(f, h, Query(RawImage()), f.BobToken.Token), NotFound, "inference job"),
        ["stop other user's inference job"] = new((f, h) => Send(h, HttpMethod.Post, $"inference-jobs/{f.InferenceJob.Id}/stop", f.BobToken.Token),
            NotFound, "inference job"),

        // Uploads.
        ["oversized upload"] = new((f, h) => Upload(f, h, Form(Fields("csv"), ("file", new byte[ApiFixture.MaxUploadBytes + 1024]))),
            HttpStatusCode.RequestEntityTooLarge, "limit of 4194304 bytes"),
        ["truncated multipart"] = new((f, h) => Upload(f, h, TruncatedForm()), BadRequest, "truncated"),
        ["truncated idx file"] = new((f, h) => Upload(f, h, Form(Fields("idx"),
                ("images", Gunzip(FashionFiles.TrainImages)[..5000]), ("labels", File.ReadAllBytes(FashionFiles.TrainLabels)))),
            BadRequest, "images", "truncated"),
        ["zip slip entry"] = new((f, h) => Upload(f, h, Form(Fields("image-zip"), ("file", Zip(("../evil.png", Png(28, 28)))))),
            BadRequest, "file", "'../evil.png'", "outside the archive"),
        ["zip bomb entry"] = new((f, h) => Upload(f, h, Form(Fields("image-zip"), ("file", Zip(("a/bomb.png", new byte[20 << 20]))))),
            BadRequest, "file", "a/bomb.png", "decompression bomb"),
        ["gzip bomb idx"] = new((f, h) => Upload(f, h, Form(Fields("idx"),
                ("images", GzipZeros(60 << 20)), ("labels", File.ReadAllBytes(FashionFiles.TrainLabels)))),
            BadRequest, "images", "decompression bomb"),
        ["mixed image sizes"] = new((f, h) => Upload(f, h, Form(Fields("image-zip"),
                ("file", Zip(("a/1.png", Png(28, 28)), ("b/2.png", Png(32, 32)))))),
            BadRequest, "file", "32x32"),
        ["not a zip"] = new((f, h) => Upload(f, h, Form(Fields("image-zip"), ("file", "plain text"u8.ToArray()))), BadRequest, "file", "not a readable zip"),
        ["unknown format"] = new((f, h) => Upload(f, h, Form(Fields("tarball"), ("file", "x"u8.ToArray()))), BadRequest, "format", "'tarball'"),
        ["idx without labels"] = new((f, h) => Upload(f, h, Form(Fields("idx"), ("images", File.ReadAllBytes(FashionFiles.TrainImages)))),
            BadRequest, "labels: missing"),
        ["too many files"] = new((f, h) => Upload(f, h, Form(Fields("idx"),
                ("images", "a"u8.ToArray()), ("labels", "b"u8.ToArray()), ("file", "c"u8.ToArray()))),
            BadRequest, "file", "limit of 2 files"),
        ["json upload body"] = new((f, h) => Upload(f, h, Json("""{"name": "x"}""")), HttpStatusCode.UnsupportedMediaType, "multipart/form-data"),
        ["empty text in csv"] = new((f, h) => Upload(f, h, Form(Fields("csv"), ("file", "text,label\n\"\",pos\n"u8.ToArray()))),
            BadRequest, "file", "row 2", "empty text"),
        ["malformed jsonl line"] = new((f, h) => Upload(f, h, Form(Fields("jsonl"), ("file", "{\"text\": \"a\", \"label\": \"b\"}\n{oops\n"u8.ToArray()))),
            BadRequest, "file", "line 2"),

        // Predictions.
        ["image of wrong size"] = new((f, h) => Predict(f, h, Query(new byte[100])), BadRequest, "query", "100 bytes", "784"),
        ["pixel array wrong shape"] = new((f, h) => Predict(f, h, $$"""{"query": {{JsonSerializer.Serialize(new int[28][].Select(_ => new int[27]))}}}"""),
            BadRequest, "query", "[28, 27]"),
        ["pixel out of range"] = new((f, h) => Predict(f, h, $$"""{"query": [{{string.Join(",", Enumerable.Repeat("300", 784))}}]}"""),
            BadRequest, "query", "300", "outside 0 to 255"),
        ["huge batch"] = new((f, h) => Predict(f, h, Queries(ApiFixture.MaxPredictQueries + 1)), BadRequest, "queries", "65 images", "limit of 64"),
        ["empty queries"] = new((f, h) => Predict(f, h, """{"queries": []}"""), BadRequest, "queries: empty"),
        ["query and queries"] = new((f, h) => Predict(f, h, """{"query": "AA==", "queries": ["AA=="]}"""), BadRequest, "exactly one of query"),
        ["invalid base64"] = new((f, h) => Predict(f, h, """{"query": "!!!not-base64!!!"}"""), BadRequest, "query", "not valid base64"),
        ["v2 wrong shape"] = new((f, h) => Infer(f, h, """{"inputs": [{"name": "x", "shape": [1, 3, 28, 28], "datatype": "UINT8", "data": [0]}]}"""),
            BadRequest, "inputs[0].shape", "[1, 3, 28, 28]"),
        ["v2 bytes datatype"] = new((f, h) => Infer(f, h, """{"inputs": [{"name": "x", "shape": [1, 784], "datatype": "BYTES", "data": ["a"]}]}"""),
            BadRequest, "inputs[0].datatype", "'BYTES'"),
        ["v2 short data"] = new((f, h) => Infer(f, h, """{"inputs": [{"name": "x", "shape": [2, 784], "datatype": "UINT8", "data": [1, 2, 3]}]}"""),
            BadRequest, "inputs[0].data", "contains 3 values"),
        ["v2 two inputs"] = new((f, h) => Infer(f, h, """{"inputs": [{"name": "a"}, {"name": "b"}]}"""), BadRequest, "inputs", "2 tensors"),
        ["v2 unknown output"] = new((f, h) => Infer(f, h,
                $$"""{"inputs": [{"name": "x", "shape": [1, 784], "datatype": "UINT8", "data": {{JsonSerializer.Serialize(new int[784])}}}], "outputs": [{"name": "logits"}]}"""),
            BadRequest, "outputs[0].name", "'logits'"),
        ["v2 null output"] = new((f, h) => Infer(f, h,
                $$"""{"inputs": [{"name": "x", "shape": [1, 784], "datatype": "UINT8", "data": {{JsonSerializer.Serialize(new int[784])}}}], "outputs": [null]}"""),
            BadRequest, "outputs[0]"),
        ["v2 output without name"] = new((f, h) => Infer(f, h,
                $$"""{"inputs": [{"name": "x", "shape": [1, 784], "datatype": "UINT8", "data": {{JsonSerializer.Serialize(new int[784])}}}], "outputs": [{"name": "late"}, {}]}"""),
            BadRequest, "outputs[1].name"),
        ["v2 late output in wrong case"] = new((f, h) => Infer(f, h,
                $$"""{"inputs": [{"name": "x", "shape": [1, 784], "datatype": "UINT8", "data": {{JsonSerializer.Serialize(new int[784])}}}], "outputs": [{"name": "Late"}]}"""),
            BadRequest, "outputs[0].name", "'Late'", "late"),
        ["v2 null input"] = new((f, h) => Infer(f, h, """{"inputs": [null]}"""), BadRequest, "inputs[0]"),

        // Users.
        ["duplicate user"] = new((f, h) => Send(h, HttpMethod.Post, "users", f.AdminToken.Token,
                Json("""{"username": "ALICE", "password": "another-password-1", "role": "app-developer"}""")),
            HttpStatusCode.Conflict, "'ALICE' is taken"),
        ["short password"] = new((f, h) => Send(h, HttpMethod.Post, "users", f.AdminToken.Token,
                Json("""{"username": "dave", "password": "short", "role": "app-developer"}""")),
            BadRequest, "password", "it has 5"),
        ["unknown role"] = new((f, h) => Send(h, HttpMethod.Post, "users", f.AdminToken.Token,
                Json("""{"username": "dave", "password": "dave-password-1234", "role": "root"}""")),
            BadRequest, "role", "'root'"),
        ["unknown route"] = new((f, h) => Send(h, HttpMethod.Get, "no-such-endpoint", f.AliceToken.Token), NotFound, "Not Found"),
    };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static byte[] RawImage() => FashionFiles.TestImages.Image(0).ToArray();

    private static string Query(byte[] image) => $$"""{"query": "{{Convert.ToBase64String(image)}}"}""";

    private static string Queries(int count) =>
        JsonSerializer.Serialize(new { queries = Enumerable.Repeat(Convert.ToBase64String(RawImage()), count) });

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        }

        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SendWithHeader(HttpClient http, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "datasets");
        request.Headers.TryAddWithoutValidation(header, value);
        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SendWithExpiredTokenAsync(ApiFixture fixture, HttpClient http)
    {
        var token = await fixture.NewClient().LoginAsync("alice", ApiFixture.AlicePassword, lifetimeSeconds: 60);
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        return await Send(http, HttpMethod.Get, "datasets", token.Token);
    }

    private static async Task<HttpResponseMessage> SendWithRevokedKeyAsync(ApiFixture fixture, HttpClient http)
    {
        var key = await fixture.Alice.CreateApiKeyAsync("revoked-app");
        await fixture.Alice.RevokeApiKeyAsync(key.Key.Id);
        using var request = new HttpRequestMessage(HttpMethod.Get, "inference-jobs");
        request.Headers.Add("X-Api-Key", key.Secret);
        return await http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> TrainJob(
        ApiFixture f, HttpClient h, string? name = "job", string task = "image-classification", string? train = null,
        string models = "[\"small-cnn\"]", string budget = """{"maxTrials": 1, "maxEpochs": 1}""", string extra = "")
    {
        var nameMember = name is null ? "" : $"\"name\": \"{name}\", ";
        var body = $$"""{{{nameMember}}"task": "{{task}}", "trainDatasetId": "{{train ?? f.TrainIdx.Id}}", "validationDatasetId": "{{f.ValidationZip.Id}}", "models": {{models}}, "budget": {{budget}}{{extra}}}""";
        return Send(h, HttpMethod.Post, "train-jobs", f.AliceToken.Token, Json(body));
    }

    private static Task<HttpResponseMessage> Deploy(ApiFixture f, HttpClient h, string body) =>
        Send(h, HttpMethod.Post, "inference-jobs", f.AliceToken.Token, Json(body));

    private static Task<HttpResponseMessage> DeployWith(ApiFixture f, HttpClient h, string settings) =>
        Deploy(f, h, $$"""{"trainJobId": "{{f.TrainJob.Id}}", "settings": {{settings}}}""");

    private static Task<HttpResponseMessage> Upload(ApiFixture f, HttpClient h, HttpContent content) =>
        Send(h, HttpMethod.Post, "datasets", f.AliceToken.Token, content);

    private static Task<HttpResponseMessage> Predict(ApiFixture f, HttpClient h, string body, string? token = null) =>
        Send(h, HttpMethod.Post, $"inference-jobs/{f.InferenceJob.Id}/predict", token ?? f.AliceToken.Token, Json(body));

    private static Task<HttpResponseMessage> Infer(ApiFixture f, HttpClient h, string body) =>
        Send(h, HttpMethod.Post, $"v2/models/{f.InferenceJob.Id}/infer", f.AliceToken.Token, Json(body));
}
