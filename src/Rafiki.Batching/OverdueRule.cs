namespace Rafiki.Batching;

/// <summary>
/// Decides when a queued request is overdue: when even a batch of one started now would end at or after the
/// request's deadline, its arrival time plus the latency target. A request that would finish exactly at its deadline
/// counts as overdue, so that a timer set to <see cref="OverdueAtMs"/> always finds the request overdue.
/// </summary>
public static class OverdueRule
{
    /// <summary>
    /// Returns the time from which a request that arrived at <paramref name="arrivalMs"/> is overdue.
    /// </summary>
    /// <param name="arrivalMs">Arrival time of the request.</param>
    /// <param name="tauMs">Latency target.</param>
    /// <param name="singleLatencyMs">Estimated latency of a batch of one, c(1).</param>
    public static double OverdueAtMs(double arrivalMs, double tauMs, double singleLatencyMs) =>
        arrivalMs + tauMs - singleLatencyMs;

    /// <summary>Returns how many of the oldest queued requests are overdue at the snapshot's time.</summary>
    /// <remarks>Overdue requests always form a prefix of the queue because arrival times are in order.</remarks>
    public static int CountOverdue(QueueSnapshot queue, double tauMs, double singleLatencyMs)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var low = 0;
        var high = queue.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (queue.NowMs >= OverdueAtMs(queue.ArrivalMs(middle), tauMs, singleLatencyMs))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
