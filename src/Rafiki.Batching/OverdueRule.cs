namespace Rafiki.Batching;

/// <summary>
/// Decides when a queued request is overdue: when even a batch of one started now would end at or after the
/// request's deadline, its arrival time plus the latency target. A request that would finish exactly at its deadline
/// counts as overdue, so that a timer set to <see cref="OverdueAtMs"/> always finds the request overdue. With
/// <see cref="OverdueAction.ServeLate"/> it also decides when an overdue request expires: when a batch of one started
/// now would end <see cref="BatchingOptions.LateLimitMs"/> or more after the deadline. Equality counts as expired
/// for the same reason.
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
        DueAtMs(arrivalMs, tauMs, 0, singleLatencyMs);

    /// <summary>
    /// Returns the time from which a served-late request that arrived at <paramref name="arrivalMs"/> has expired,
    /// so that it gets an overdue error instead of running.
    /// </summary>
    /// <param name="arrivalMs">Arrival time of the request.</param>
    /// <param name="tauMs">Latency target.</param>
    /// <param name="lateLimitMs">Maximum lateness, <see cref="BatchingOptions.LateLimitMs"/>.</param>
    /// <param name="singleLatencyMs">Estimated latency of a batch of one, c(1).</param>
    public static double ExpiresAtMs(double arrivalMs, double tauMs, double lateLimitMs, double singleLatencyMs) =>
        DueAtMs(arrivalMs, tauMs, lateLimitMs, singleLatencyMs);

    /// <summary>Returns how many of the oldest queued requests are overdue at the snapshot's time.</summary>
    /// <remarks>Overdue requests always form a prefix of the queue because arrival times are in order.</remarks>
    public static int CountOverdue(QueueSnapshot queue, double tauMs, double singleLatencyMs) =>
        CountDue(queue, tauMs, 0, singleLatencyMs);

    /// <summary>Returns how many of the oldest queued requests have expired at the snapshot's time.</summary>
    /// <remarks>
    /// Expired requests form a prefix of the queue, and of its overdue requests too, because the maximum lateness
    /// is above 0.
    /// </remarks>
    public static int CountExpired(QueueSnapshot queue, double tauMs, double lateLimitMs, double singleLatencyMs) =>
        CountDue(queue, tauMs, lateLimitMs, singleLatencyMs);

    // The counts and the wake-up times share this one expression. A sum grouped in another order could round to a
    // slightly later time, and then a timer set to a returned time would not find the request due.
    private static double DueAtMs(double arrivalMs, double tauMs, double latenessMs, double singleLatencyMs) =>
        arrivalMs + tauMs + latenessMs - singleLatencyMs;

    private static int CountDue(QueueSnapshot queue, double tauMs, double latenessMs, double singleLatencyMs)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var low = 0;
        var high = queue.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (queue.NowMs >= DueAtMs(queue.ArrivalMs(middle), tauMs, latenessMs, singleLatencyMs))
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
