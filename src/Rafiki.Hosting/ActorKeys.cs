namespace Rafiki.Hosting;

/// <summary>Actor-registry key of the study shard region (or its proxy).</summary>
public sealed class StudyRegion;

/// <summary>Actor-registry key of the trial shard region (or its proxy).</summary>
public sealed class TrialRegion;

/// <summary>Actor-registry key of the study registry singleton proxy.</summary>
public sealed class StudyRegistry;

/// <summary>Actor-registry key of the node's device slots actor.</summary>
public sealed class DeviceSlots;

/// <summary>Actor-registry key of the node's inference-job manager.</summary>
public sealed class InferenceJobs;
