namespace Rafiki.Storage.Checkpoints;

/// <summary>
/// Puts a node-local in-memory LRU cache, bounded in bytes, in front of another parameter store. Saves write
/// through to the inner store before they are cached.
/// </summary>
public sealed class CachingParameterStore : IParameterStore
{
    private readonly IParameterStore _inner;
    private readonly LruCache<string, byte[]> _cache;

    /// <param name="inner">The shared store.</param>
    /// <param name="capacityBytes">Most bytes of checkpoints to keep in memory.</param>
    public CachingParameterStore(IParameterStore inner, long capacityBytes)
    {
        _inner = inner;
        _cache = new LruCache<string, byte[]>(capacityBytes, bytes => bytes.LongLength);
    }

    public async Task SaveAsync(string checkpointId, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken = default)
    {
        await _inner.SaveAsync(checkpointId, parameters, cancellationToken);
        _cache.Set(checkpointId, parameters.ToArray());
    }

    public async Task<byte[]?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGet(checkpointId, out var cached))
        {
            return cached;
        }

        var loaded = await _inner.LoadAsync(checkpointId, cancellationToken);
        if (loaded is not null)
        {
            _cache.Set(checkpointId, loaded);
        }

        return loaded;
    }

    public Task<bool> DeleteAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        _cache.Remove(checkpointId);
        return _inner.DeleteAsync(checkpointId, cancellationToken);
    }
}
