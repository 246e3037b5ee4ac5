namespace Rafiki.Tuning.Advisors;

/// <summary>
/// Kernel and noise settings of a fitted Gaussian process, for targets standardised to mean 0 and variance 1.
/// </summary>
/// <param name="LengthScales">One Matérn length scale per encoded coordinate, in unit-cube units.</param>
/// <param name="SignalVariance">Prior variance σ² of the latent function.</param>
/// <param name="NoiseVariance">Variance of the observation noise, jitter included.</param>
internal sealed record GpHyperparameters(double[] LengthScales, double SignalVariance, double NoiseVariance);
