using System.Net;
using Microsoft.Extensions.Logging;
using Rafiki.Client;
using Rafiki.Client.Contracts;

namespace Rafiki.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthTests(ApiFixture fixture)
{
    [Fact]
    public async Task Login_returns_token_with_expiry()
    {
        var client = fixture.NewClient();
        var before = fixture.Clock.GetUtcNow();

        var token = await client.LoginAsync("bob", ApiFixture.BobPassword);
        var me = await client.GetCurrentUserAsync();

        Assert.StartsWith("rft_", token.Token, StringComparison.Ordinal);
        Assert.InRange(token.ExpiresAt, before + fixture.Options.TokenLifetime - TimeSpan.FromSeconds(5), before + fixture.Options.TokenLifetime + TimeSpan.FromMinutes(1));
        Assert.Equal("bob", me.Username);
        Assert.Equal(UserRoles.AppDeveloper, me.Role);
    }

    [Fact]
    public async Task Logout_revokes_the_token()
    {
        var client = fixture.NewClient();
        await client.LoginAsync("bob", ApiFixture.BobPassword);

        await client.LogoutAsync();

        var error = await Assert.ThrowsAsync<RafikiApiException>(() => client.ListDatasetsAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Contains("unknown or revoked", error.Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_key_predicts_but_cannot_train()
    {
        var app = fixture.NewClient().WithApiKey(fixture.AliceKey.Secret);

        var prediction = await app.PredictAsync(fixture.InferenceJob.Id, FashionFiles.TestImages.Image(0).ToArray());
        var error = await Assert.ThrowsAsync<RafikiApiException>(() => app.ListTrainJobsAsync());

        Assert.Equal(10, prediction.Probabilities.Count);
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
    }

    [Fact]
    public async Task Model_developer_can_train_only()
    {
        var datasets = await fixture.Carol.ListDatasetsAsync();
        var models = await fixture.Carol.ListModelsAsync();
        var error = await Assert.ThrowsAsync<RafikiApiException>(() => fixture.Carol.CreateApiKeyAsync("app"));

        Assert.Empty(datasets);
        Assert.Contains(models, model => model.Name == "small-cnn");
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
    }

    [Fact]
    public async Task Users_survive_an_api_restart()
    {
        var options = fixture.Options with { Port = 0, BootstrapAdminPassword = null };
        await using var second = await RafikiApi.StartAsync(fixture.Node, options, logging => logging.AddProvider(fixture.Logs));
        using var http = new HttpClient { BaseAddress = second.BaseAddress };
        var client = new RafikiClient(http);

        var token = await client.LoginAsync("carol", ApiFixture.CarolPassword);
        var jobs = await new RafikiClient(http).WithToken(fixture.AliceToken.Token).ListTrainJobsAsync();

        Assert.Equal("carol", token.User.Username);
        Assert.Contains(jobs, job => job.Id == fixture.TrainJob.Id);
    }

    [Fact]
    public async Task Invalid_options_fail_the_start()
    {
        var options = fixture.Options with { Port = 70_000, BootstrapAdminPassword = "short" };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => RafikiApi.StartAsync(fixture.Node, options));

        Assert.Contains("port: 70000 is invalid", error.Message, StringComparison.Ordinal);
        Assert.Contains("bootstrapAdminPassword", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_binds_to_loopback_by_default()
    {
        Assert.Equal("127.0.0.1", new ApiOptions().Host);
        Assert.Equal("127.0.0.1", fixture.Server.BaseAddress.Host);
    }

    [Fact]
    public async Task Secrets_never_appear_in_logs()
    {
        var key = await fixture.Alice.CreateApiKeyAsync("log-check");
        var wrongPassword = "wrong-password-secret-99";
        await Assert.ThrowsAsync<RafikiApiException>(() => fixture.NewClient().LoginAsync("alice", wrongPassword));
        await fixture.NewClient().WithApiKey(key.Secret).ListInferenceJobsAsync();
        await fixture.NewClient().WithToken(fixture.AliceToken.Token).ListDatasetsAsync();

        string[] secrets =
        [
            ApiFixture.AdminPassword, ApiFixture.AlicePassword, ApiFixture.BobPassword, ApiFixture.CarolPassword, wrongPassword,
            fixture.AdminToken.Token, fixture.AliceToken.Token, fixture.BobToken.Token, fixture.AliceKey.Secret, key.Secret,
        ];
        var logs = string.Join("\n", fixture.Logs.Lines);

        Assert.Contains("logged in", logs, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }
}
