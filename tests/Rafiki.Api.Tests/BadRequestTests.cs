using System.Net;
using System.Text.Json;

namespace Rafiki.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class BadRequestTests(ApiFixture fixture)
{
    public static TheoryData<string> CaseNames => [.. BadRequestCases.All.Keys];

    [Fact]
    public void Table_has_forty_cases_or_more() => Assert.True(BadRequestCases.All.Count >= 40, $"{BadRequestCases.All.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_request_gets_problem_details(string name)
    {
        var badRequest = BadRequestCases.All[name];
        using var http = fixture.NewHttpClient();
        var before = await SnapshotAsync();

        using var response = await badRequest.Send(fixture, http);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(badRequest.Status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)badRequest.Status, problem.RootElement.GetProperty("status").GetInt32());
        var text = ProblemText(problem.RootElement);
        foreach (var mention in badRequest.Mentions)
        {
            var expected = mention.Replace("{trainIdx}", fixture.TrainIdx.Id, StringComparison.Ordinal)
                .Replace("{bobDataset}", fixture.BobDataset.Id, StringComparison.Ordinal)
                .Replace("{trainJob}", fixture.TrainJob.Id, StringComparison.Ordinal);
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("health", UriKind.Relative))).StatusCode);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(StagedUploads());
    }

    // Returns the decoded title, detail and field errors of a problem.
    private static string ProblemText(JsonElement problem)
    {
        var parts = new List<string?> { problem.GetProperty("title").GetString() };
        if (problem.TryGetProperty("detail", out var detail))
        {
            parts.Add(detail.GetString());
        }

        if (problem.TryGetProperty("errors", out var errors))
        {
            parts.AddRange(errors.EnumerateObject().SelectMany(field => field.Value.EnumerateArray().Select(error => $"{field.Name}: {error.GetString()}")));
        }

        return string.Join("\n", parts);
    }

    // Everything a bad request must leave unchanged: users, datasets (listed and on disk) and jobs with their states.
    private async Task<string> SnapshotAsync()
    {
        var users = (await fixture.Admin.ListUsersAsync()).Select(user => $"{user.Id}:{user.Role}");
        var datasets = (await fixture.Admin.ListDatasetsAsync()).Select(dataset => dataset.Id);
        var folders = Directory.GetDirectories(Path.Combine(fixture.Node.Options.DataDirectory, "datasets")).Select(Path.GetFileName).Order();
        var trainJobs = (await fixture.Admin.ListTrainJobsAsync()).Select(job => $"{job.Id}:{job.State}");
        var inferenceJobs = (await fixture.Admin.ListInferenceJobsAsync()).Select(job => $"{job.Id}:{job.State}");
        return JsonSerializer.Serialize(new { users, datasets, folders, trainJobs, inferenceJobs });
    }

    private IEnumerable<string> StagedUploads()
    {
        var staging = Path.Combine(fixture.Node.Options.DataDirectory, "uploads");
        return Directory.Exists(staging) ? Directory.EnumerateFileSystemEntries(staging) : [];
    }
}
