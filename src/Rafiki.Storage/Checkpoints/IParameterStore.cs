namespace Rafiki.Storage.Checkpoints;

/// <summary>
/// Stores model parameters (checkpoints) by id. Messages between actors carry checkpoint ids, never weights.
/// Ids are letters, digits, '-', '_' and '.', such as <c>trial-20261204-1a2b3c.e3</c>.
/// </summary>
public interface IParameterStore
{
    /// <summary>Stores a checkpoint, replacing any earlier one with the same id. Returns once it is durable.</summary>
    Task SaveAsync(string checkpointId, ReadOnlyMemory<byte> parameters, CancellationToken cancellationToken = default);

    /// <summary>Returns a checkpoint's bytes, or null if the store has no checkpoint with that id.</summary>
    Task<byte[]?> LoadAsync(string checkpointId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a checkpoint; returns false if it did not exist.</summary>
    Task<bool> DeleteAsync(string checkpointId, CancellationToken cancellationToken = default);
}
