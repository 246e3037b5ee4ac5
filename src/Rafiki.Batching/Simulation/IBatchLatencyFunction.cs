namespace Rafiki.Batching.Simulation;

/// <summary>The true batch latency of a simulated model, which the policies never see directly.</summary>
public interface IBatchLatencyFunction
{
    /// <summary>Short description for reports, such as <c>2 ms + 0.25 ms * b</c>.</summary>
    string Description { get; }

    /// <summary>Returns the mean latency of a batch of <paramref name="batchSize"/>, in milliseconds.</summary>
    double MeanMs(int batchSize);

    /// <summary>Draws the latency of one batch of <paramref name="batchSize"/>, in milliseconds.</summary>
    double SampleMs(int batchSize, Random random);
}
