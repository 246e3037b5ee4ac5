namespace Rafiki.Batching;

/// <summary>
/// Batching settings of one inference job. Every time is in milliseconds and measured on the router's monotonic
/// clock. Settings that only one policy reads are ignored by the others, but <see cref="Validate"/> checks them all.
/// </summary>
/// <param name="TauMs">
/// Latency target: the maximum time from a request's arrival at the router to its response.
/// </param>
/// <param name="MaxBatchSize">Largest batch the model may run (Bmax).</param>
public sealed record BatchingOptions(double TauMs, int MaxBatchSize)
{
    /// <summary>Multiple of <see cref="TauMs"/> that <see cref="LateLimitMs"/> takes when MaxLateMs is null.</summary>
    public const double DefaultLateLimitFactor = 10;

    /// <summary>Largest value that <see cref="LateLimitMs"/> takes when MaxLateMs is null: one hour.</summary>
    public const double DefaultLateLimitCapMs = 3_600_000;

    /// <summary>
    /// Time that the greedy policy keeps in reserve on top of the estimated batch latency, for timer lag and message
    /// delivery between the router and the model. Akka.NET 1.5 fires scheduled messages on a 10 ms tick by default
    /// (<c>akka.scheduler.tick-duration</c>), so a router that relies on that timer needs a margin of about one tick.
    /// </summary>
    public double MarginMs { get; init; }

    /// <summary>What to do with requests that can no longer be answered within <see cref="TauMs"/>.</summary>
    public OverdueAction OverdueAction { get; init; } = OverdueAction.ServeLate;

    /// <summary>
    /// Maximum lateness with <see cref="OverdueAction.ServeLate"/>. A queued request that would end MaxLateMs or more
    /// after its deadline (arrival plus <see cref="TauMs"/>) even in a batch of one started now is removed, and the
    /// router replies to it at once with an overdue error. Null means <see cref="DefaultLateLimitFactor"/> times
    /// <see cref="TauMs"/>, at most <see cref="DefaultLateLimitCapMs"/>, and <see cref="LateLimitMs"/> returns the
    /// value in effect.
    /// <see cref="OverdueAction.Reject"/> ignores it, because it removes each request as soon as it turns overdue.
    /// </summary>
    public double? MaxLateMs { get; init; }

    /// <summary>
    /// <see cref="MaxLateMs"/> in effect: its value, or <see cref="DefaultLateLimitFactor"/> times <see cref="TauMs"/>
    /// up to <see cref="DefaultLateLimitCapMs"/> when it is null.
    /// </summary>
    public double LateLimitMs => MaxLateMs ?? Math.Min(DefaultLateLimitFactor * TauMs, DefaultLateLimitCapMs);

    /// <summary>
    /// Maximum number of requests waiting for a batch; an arrival that finds the queue full is rejected at once.
    /// The default bounds memory under sustained overload. Size it to about the peak throughput times
    /// <see cref="TauMs"/> to reject at the door the requests that could not be answered in time anyway.
    /// </summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>
    /// Fixed-wait policy: maximum time the oldest queued request waits for the batch to fill before the queued
    /// requests run. 0 runs whatever is queued as soon as the model is free.
    /// </summary>
    public double MaxQueueDelayMs { get; init; }

    /// <summary>AIMD policy: batch size cap before the first feedback.</summary>
    public int AimdInitialBatchSize { get; init; } = 1;

    /// <summary>AIMD policy: amount added to the batch size cap after each batch that met the latency target.</summary>
    public int AimdIncrease { get; init; } = 1;

    /// <summary>
    /// AIMD policy: factor, in (0, 1), that multiplies the batch size cap after a batch that missed the latency
    /// target. The default 0.5 halves the cap, and 0.9 cuts it by 10%.
    /// </summary>
    public double AimdDecreaseFactor { get; init; } = 0.5;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> that names the first invalid setting, its value and the fix.
    /// </summary>
    public void Validate()
    {
        RequirePositive(TauMs, nameof(TauMs), "set it to the latency target in milliseconds");
        RequireAtLeastOne(MaxBatchSize, nameof(MaxBatchSize), "set it to the largest batch the model may run");
        RequireNonNegative(MarginMs, nameof(MarginMs), "set it to the reserve in milliseconds, or 0 for none");
        if (MarginMs >= TauMs)
        {
            throw new ArgumentException(
                $"MarginMs is {MarginMs} but TauMs is {TauMs}; the margin must be smaller than the latency target.",
                nameof(MarginMs));
        }

        if (!Enum.IsDefined(OverdueAction))
        {
            throw new ArgumentException(
                $"OverdueAction is {(int)OverdueAction}, which is not defined; use ServeLate or Reject.",
                nameof(OverdueAction));
        }

        if (MaxLateMs is { } maxLateMs)
        {
            RequirePositive(
                maxLateMs,
                nameof(MaxLateMs),
                "set it to the maximum time in milliseconds that a served-late request may end after its deadline, "
                + $"or to null for {DefaultLateLimitFactor} times TauMs");
        }

        RequireAtLeastOne(QueueCapacity, nameof(QueueCapacity), "set it to the maximum number of queued requests");
        RequireNonNegative(
            MaxQueueDelayMs,
            nameof(MaxQueueDelayMs),
            "set it in milliseconds, or 0 to run queued requests without waiting");
        RequireAtLeastOne(AimdInitialBatchSize, nameof(AimdInitialBatchSize), "set it to the first batch size cap");
        if (AimdInitialBatchSize > MaxBatchSize)
        {
            throw new ArgumentException(
                $"AimdInitialBatchSize is {AimdInitialBatchSize} but MaxBatchSize is {MaxBatchSize}; "
                + "start the AIMD cap at or below MaxBatchSize.",
                nameof(AimdInitialBatchSize));
        }

        RequireAtLeastOne(
            AimdIncrease, nameof(AimdIncrease), "set it to the number of requests added to the cap per batch");
        if (!(AimdDecreaseFactor > 0 && AimdDecreaseFactor < 1))
        {
            throw new ArgumentException(
                $"AimdDecreaseFactor is {AimdDecreaseFactor}; use a factor between 0 and 1 (exclusive), "
                + "such as 0.5 to halve the cap.",
                nameof(AimdDecreaseFactor));
        }
    }

    private static void RequirePositive(double value, string name, string fix)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{name} is {value}, which is invalid; {fix} (a finite number above 0).", name);
        }
    }

    private static void RequireNonNegative(double value, string name, string fix)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentException(
                $"{name} is {value}, which is invalid; {fix} (a finite number of 0 or more).", name);
        }
    }

    private static void RequireAtLeastOne(int value, string name, string fix)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{name} is {value}, which is invalid; {fix} (at least 1).", name);
        }
    }
}
