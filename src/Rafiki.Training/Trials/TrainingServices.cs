using Rafiki.Storage.Checkpoints;
using Rafiki.Storage.Datasets;

namespace Rafiki.Training.Trials;

/// <summary>Node-local stores a trial needs; shared by every trial actor on the node.</summary>
/// <param name="Datasets">Dataset store with its in-memory cache.</param>
/// <param name="Checkpoints">Parameter store for per-epoch checkpoints.</param>
/// <param name="ProgressInterval">Least time between two live progress reports of one trial.</param>
public sealed record TrainingServices(DatasetStore Datasets, IParameterStore Checkpoints, TimeSpan ProgressInterval);
