using Akka.Actor;

namespace Rafiki.Inference;

/// <summary>
/// A one-shot timer that sends a message to an actor, with the resolution of .NET's timer queue (about 1 ms on
/// Linux) rather than Akka.NET's scheduler tick (10 ms by default, <c>akka.scheduler.tick-duration</c>). The greedy
/// policy waits until just before a request's deadline, so every millisecond of timer lag needs a millisecond of
/// margin. Arming the timer again replaces the earlier wake-up.
/// </summary>
internal sealed class WakeUpTimer : IDisposable
{
    // The largest due time that System.Threading.Timer.Change accepts, about 49.7 days.
    private const double MaxDelayMs = 4_294_967_294;

    private readonly Timer _timer;

    /// <param name="target">Actor that receives <paramref name="message"/>.</param>
    /// <param name="message">Message sent each time the timer fires.</param>
    public WakeUpTimer(IActorRef target, object message)
    {
        _timer = new Timer(_ => target.Tell(message), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Fires once, no earlier than <paramref name="delayMs"/> milliseconds from now.</summary>
    public void Arm(double delayMs)
    {
        // Timer takes whole milliseconds, so round up: a wake-up before the requested time would find nothing to do.
        // It rejects due times above MaxDelayMs. A wake-up clamped to that limit comes early, and the router then
        // decides again and arms the timer for the rest of the delay.
        _timer.Change((long)Math.Ceiling(Math.Clamp(delayMs, 0, MaxDelayMs)), Timeout.Infinite);
    }

    /// <summary>Cancels the pending wake-up, if any. A wake-up already on its way may still arrive.</summary>
    public void Cancel() => _timer.Change(Timeout.Infinite, Timeout.Infinite);

    public void Dispose() => _timer.Dispose();
}
