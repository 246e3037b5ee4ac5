using Rafiki.Models;
using Rafiki.Tuning;

namespace Rafiki.Inference;

/// <summary>One trained model that a job serves.</summary>
/// <param name="TrialId">Trial that trained the model.</param>
/// <param name="Family">Model family name in the model zoo, such as <c>small-cnn</c>.</param>
/// <param name="Knobs">The trial's knob values, which fix the network's shape.</param>
/// <param name="CheckpointId">Checkpoint with the parameters to load.</param>
/// <param name="Input">Shape of one input image.</param>
/// <param name="ClassNames">Class names in label order.</param>
public sealed record DeployedModel(
    string TrialId, string Family, Knobs Knobs, string CheckpointId, ImageShape Input, IReadOnlyList<string> ClassNames);
