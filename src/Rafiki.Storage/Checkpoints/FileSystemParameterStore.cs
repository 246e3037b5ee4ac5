namespace Rafiki.Storage.Checkpoints;

/// <summary>
/// Keeps checkpoints as files <c>{root}/{id}.ckpt</c>. Writes go to a temporary file that is flushed to disk and
/// renamed, so a crash leaves either the old checkpoint or the new one, never a torn file. A shared directory
/// (NFS, a Kubernetes volume) makes it reachable from every node.
/// </summary>
public sealed class FileSystemParameterStore : IParameterStore
{
    private readonly string _root;

    public FileSystemParameterStore(string root)
    {
        _root = root;
        Directory.CreateDirectory(root);
    }

    public async Task SaveAsync(string checkpointId, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken = default)
    {
        var path = PathOf(checkpointId);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await file.WriteAsync(parameters, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        var path = PathOf(checkpointId);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public Task<bool> DeleteAsync(string checkpointId, CancellationToken cancellationToken = default)
    {
        var path = PathOf(checkpointId);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    private string PathOf(string checkpointId)
    {
        CheckpointIds.Validate(checkpointId);
        return Path.Combine(_root, checkpointId + ".ckpt");
    }
}
