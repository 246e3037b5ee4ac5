namespace Rafiki.Batching.Simulation;

/// <summary>One window of a simulation's time series.</summary>
/// <param name="StartMs">Start of the window in virtual time.</param>
/// <param name="ArrivalRatePerSecond">Requests that arrived in the window, per second.</param>
/// <param name="OverdueRatio">
/// Fraction of the requests that arrived in the window and were served late or rejected as overdue; 0 when none
/// arrived.
/// </param>
/// <param name="MeanBatchSize">Mean size of the batches started in the window; 0 when none started.</param>
/// <param name="Arrivals">Requests that arrived in the window.</param>
/// <param name="Batches">Batches started in the window.</param>
public sealed record SimulationWindow(
    double StartMs,
    double ArrivalRatePerSecond,
    double OverdueRatio,
    double MeanBatchSize,
    int Arrivals,
    int Batches);
