using Rafiki.Core;
using Rafiki.Tuning;

namespace Rafiki.Models;

/// <summary>
/// A kind of model in the zoo: its task, its knob space, and how to build a model from knobs. Model developers
/// add a family by implementing this interface and registering it in <see cref="ModelZoo"/>.
/// </summary>
public interface IModelFamily
{
    /// <summary>Stable name used in train-job specs, checkpoints and the API, such as <c>small-cnn</c>.</summary>
    string Name { get; }

    /// <summary>The task this family solves.</summary>
    TaskType Task { get; }

    /// <summary>One line for people choosing models.</summary>
    string Description { get; }

    /// <summary>The knobs a study may tune, with their ranges.</summary>
    KnobSpace KnobSpace { get; }

    /// <summary>Builds an untrained model. The same spec, seed included, builds the same initial parameters.</summary>
    /// <exception cref="Rafiki.Tuning.KnobSpaceException">The knobs are not in <see cref="KnobSpace"/>.</exception>
    IModel Create(ModelSpec spec);
}
