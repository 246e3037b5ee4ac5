namespace Rafiki.Client.Contracts;

/// <summary>A built-in model family that train jobs can tune.</summary>
/// <param name="Name">Name to pass in <see cref="CreateTrainJobRequest.Models"/>.</param>
/// <param name="Task">Task it solves.</param>
/// <param name="Description">One line on what the model is.</param>
/// <param name="Knobs">Names of the knobs a train job tunes.</param>
public sealed record ModelFamilyView(string Name, string Task, string Description, IReadOnlyList<string> Knobs);
