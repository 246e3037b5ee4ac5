namespace Rafiki.Hosting;

/// <summary>Actor-registry key of the model shard region (or its proxy), where inference jobs start model actors.</summary>
public sealed class ModelRegion;
