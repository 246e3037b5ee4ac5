namespace Rafiki.Batching.Simulation;

/// <summary>A random process that generates request arrival times in virtual time.</summary>
public interface IArrivalProcess
{
    /// <summary>Short name for tables and plots, such as <c>poisson</c>.</summary>
    string Name { get; }

    /// <summary>Long-run mean arrival rate in requests per second.</summary>
    double MeanRatePerSecond { get; }

    /// <summary>
    /// Returns an endless sequence of arrival times in milliseconds, non-decreasing and after 0. The same
    /// <paramref name="random"/> state gives the same sequence.
    /// </summary>
    IEnumerable<double> ArrivalTimesMs(Random random);
}
