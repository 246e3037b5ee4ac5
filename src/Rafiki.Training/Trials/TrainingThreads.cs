namespace Rafiki.Training.Trials;

/// <summary>The training threads that trial actors of this process started.</summary>
public static class TrainingThreads
{
    /// <summary>
    /// Blocks until every training thread has ended, or <paramref name="timeout"/> passes; returns whether they all
    /// ended. Call it after the actor system has stopped, because its trial actors cancel their threads on stop.
    /// </summary>
    public static bool WaitForAll(TimeSpan timeout) => TrialRunner.WaitForThreads(timeout);
}
