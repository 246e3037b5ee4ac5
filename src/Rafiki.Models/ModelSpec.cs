using Rafiki.Tuning;

namespace Rafiki.Models;

/// <summary>Shape of one input image: channels, height and width.</summary>
public sealed record ImageShape(int Channels, int Height, int Width);

/// <summary>Everything needed to build one model.</summary>
/// <param name="Knobs">Values for every active knob of the family.</param>
/// <param name="Input">Shape of one input image.</param>
/// <param name="ClassCount">Number of classes to predict.</param>
/// <param name="Seed">Seed for parameter initialisation and data shuffling.</param>
/// <param name="Device">TorchSharp device name: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
public sealed record ModelSpec(Knobs Knobs, ImageShape Input, int ClassCount, int Seed, string Device = "cpu");
