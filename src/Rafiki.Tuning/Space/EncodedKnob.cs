namespace Rafiki.Tuning;

/// <summary>Where one knob lies in a <see cref="UnitCubeEncoding"/> vector.</summary>
/// <param name="Knob">The knob.</param>
/// <param name="Offset">Index of the knob's first coordinate.</param>
/// <param name="Width">Number of coordinates: 1 for a numeric knob, the number of values for a one-hot categorical
/// knob.</param>
public sealed record EncodedKnob(KnobDefinition Knob, int Offset, int Width)
{
    /// <summary>Whether the coordinates are a one-hot code of a categorical knob's values.</summary>
    public bool IsOneHot => Knob is CategoricalKnob;
}
