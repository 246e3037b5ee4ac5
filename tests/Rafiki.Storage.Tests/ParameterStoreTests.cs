using Rafiki.Storage.Checkpoints;
using Rafiki.Testing;

namespace Rafiki.Storage.Tests;

public sealed class ParameterStoreTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Saved_checkpoint_loads_back_and_replaces_older()
    {
        var store = new FileSystemParameterStore(_folder.Path);

        await store.SaveAsync("trial-1.e1", new byte[] { 1, 2, 3 });
        await store.SaveAsync("trial-1.e1", new byte[] { 4, 5 });

        Assert.Equal([4, 5], await store.LoadAsync("trial-1.e1"));
        Assert.Null(await store.LoadAsync("trial-1.e2"));
        Assert.Empty(Directory.GetFiles(_folder.Path, "*.tmp"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task Unsafe_checkpoint_id_is_rejected(string id)
    {
        var store = new FileSystemParameterStore(_folder.Path);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(id, new byte[] { 1 }));

        Assert.Contains($"checkpoint id '{id}' is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_serves_loads_after_file_is_gone()
    {
        var inner = new FileSystemParameterStore(_folder.Path);
        var cached = new CachingParameterStore(inner, capacityBytes: 100);
        await cached.SaveAsync("a", new byte[] { 9 });

        File.Delete(Path.Combine(_folder.Path, "a.ckpt"));

        Assert.Equal([9], await cached.LoadAsync("a"));
    }

    [Fact]
    public async Task Cache_evicts_least_recently_used_beyond_capacity()
    {
        var inner = new FileSystemParameterStore(_folder.Path);
        var cached = new CachingParameterStore(inner, capacityBytes: 10);
        await cached.SaveAsync("a", new byte[6]);
        await cached.SaveAsync("b", new byte[6]);

        File.Delete(Path.Combine(_folder.Path, "a.ckpt"));
        File.Delete(Path.Combine(_folder.Path, "b.ckpt"));

        Assert.Null(await cached.LoadAsync("a"));
        Assert.NotNull(await cached.LoadAsync("b"));
    }

    [Fact]
    public async Task Delete_removes_from_cache_and_disk()
    {
        var cached = new CachingParameterStore(new FileSystemParameterStore(_folder.Path), capacityBytes: 100);
        await cached.SaveAsync("a", new byte[] { 1 });

        Assert.True(await cached.DeleteAsync("a"));

        Assert.Null(await cached.LoadAsync("a"));
        Assert.False(await cached.DeleteAsync("a"));
    }
}
