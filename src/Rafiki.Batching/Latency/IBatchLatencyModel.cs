namespace Rafiki.Batching.Latency;

/// <summary>Estimate of c(b): how long the model takes to run a batch of b requests, in milliseconds.</summary>
public interface IBatchLatencyModel
{
    /// <summary>
    /// Returns the estimated latency of a batch of <paramref name="batchSize"/> requests. Estimates never decrease
    /// as the batch size grows, which the greedy policy relies on.
    /// </summary>
    double EstimateMs(int batchSize);
}
