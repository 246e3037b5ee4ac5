namespace Rafiki.Batching.Latency;

/// <summary>Estimate of c(b): how long the model takes to run a batch of b requests, in milliseconds.</summary>
public interface IBatchLatencyModel
{
    /// <summary>
    /// Returns the estimated latency of a batch of <paramref name="batchSize"/> requests. Estimates never decrease
    /// as the batch size grows, which the greedy policy relies on.
    /// </summary>
    double EstimateMs(int batchSize);

    /// <summary>
    /// Returns how late a wake-up that the policy requests is expected to arrive, in milliseconds. A policy that
    /// waits for more requests starts its batch only when the wake-up arrives, so greedy adds this to its margin.
    /// The default is 0, an exact timer, as in the simulator; a router that measures its timer's lag returns that.
    /// </summary>
    double WakeUpLagMs => 0;

    /// <summary>
    /// Returns a central estimate, such as the median, of the latency of a batch of <paramref name="batchSize"/>
    /// requests. Greedy compares throughput between batch sizes with it, because a high percentile also measures
    /// how often a batch is interrupted, which happens more to longer batches. The default is
    /// <see cref="EstimateMs"/>.
    /// </summary>
    double TypicalMs(int batchSize) => EstimateMs(batchSize);
}
