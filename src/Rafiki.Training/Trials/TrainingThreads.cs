namespace Rafiki.Training.Trials;

/// <summary>Count of the training threads that trial runners of this process started and that still run.</summary>
public static class TrainingThreads
{
    private static readonly object CountLock = new();
    private static int _running;

    /// <summary>
    /// Blocks until every training thread has ended, or <paramref name="timeout"/> passes; returns whether they all
    /// ended. A process that exits while a thread is inside libtorch can crash with SIGSEGV, so a node calls this
    /// after its actor system, whose trial actors cancel their threads on stop, has stopped.
    /// </summary>
    public static bool WaitForAll(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (CountLock)
        {
            while (_running > 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                Monitor.Wait(CountLock, left);
            }

            return true;
        }
    }

    internal static void Started()
    {
        lock (CountLock)
        {
            _running++;
        }
    }

    internal static void Ended()
    {
        lock (CountLock)
        {
            _running--;
            Monitor.PulseAll(CountLock);
        }
    }
}
