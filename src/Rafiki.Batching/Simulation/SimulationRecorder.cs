using Rafiki.Batching.Queueing;

namespace Rafiki.Batching.Simulation;

/// <summary>Collects the metrics of one simulated run; requests are identified by their arrival index.</summary>
internal sealed class SimulationRecorder
{
    private readonly double _windowMs;
    private readonly List<double> _arrivalsMs = [];
    private readonly List<double> _servedLatenciesMs = [];
    private readonly long[] _batchSizeCounts;
    private readonly int[] _windowArrivals;
    private readonly int[] _windowOverdue;
    private readonly int[] _windowBatches;
    private readonly long[] _windowBatchedRequests;
    private double _busyMs;

    public SimulationRecorder(double durationMs, double windowMs, int maxBatchSize)
    {
        _windowMs = windowMs;
        var windows = Math.Max(1, (int)Math.Ceiling(durationMs / windowMs));
        _windowArrivals = new int[windows];
        _windowOverdue = new int[windows];
        _windowBatches = new int[windows];
        _windowBatchedRequests = new long[windows];
        _batchSizeCounts = new long[maxBatchSize + 1];
    }

    /// <summary>Records an arrival and returns its index, which identifies the request from then on.</summary>
    public int RecordArrival(double arrivalMs)
    {
        _arrivalsMs.Add(arrivalMs);
        _windowArrivals[WindowOf(arrivalMs)]++;
        return _arrivalsMs.Count - 1;
    }

    public void RecordBatchStart(InFlightBatch<int> batch, double latencyMs)
    {
        _busyMs += latencyMs;
        _batchSizeCounts[batch.Size]++;
        var window = WindowOf(batch.StartedAtMs);
        _windowBatches[window]++;
        _windowBatchedRequests[window] += batch.Size;
    }

    public void RecordFinished(IEnumerable<FinishedRequest<int>> finished)
    {
        foreach (var request in finished)
        {
            if (request.Outcome is RequestOutcome.Answered or RequestOutcome.OverdueServedLate)
            {
                _servedLatenciesMs.Add(request.LatencyMs);
            }

            if (request.Outcome is RequestOutcome.OverdueServedLate or RequestOutcome.OverdueRejected)
            {
                _windowOverdue[WindowOf(request.Request.ArrivalMs)]++;
            }
        }
    }

    public SimulationReport ToReport(SimulationSetup setup, OutcomeCounts counts, double endMs)
    {
        var windows = new SimulationWindow[_windowArrivals.Length];
        for (var i = 0; i < windows.Length; i++)
        {
            var arrivals = _windowArrivals[i];
            var batches = _windowBatches[i];
            windows[i] = new SimulationWindow(
                StartMs: i * _windowMs,
                ArrivalRatePerSecond: arrivals * 1000 / _windowMs,
                OverdueRatio: arrivals == 0 ? 0 : (double)_windowOverdue[i] / arrivals,
                MeanBatchSize: batches == 0 ? 0 : (double)_windowBatchedRequests[i] / batches,
                Arrivals: arrivals,
                Batches: batches);
        }

        return new SimulationReport(
            setup.PolicyName,
            setup.Arrivals.Name,
            counts,
            endMs,
            _busyMs,
            LatencySummary.Of(_servedLatenciesMs),
            _batchSizeCounts,
            windows);
    }

    /// <summary>
    /// Returns the window of a time. Batches that start after the arrival period count in the last window.
    /// </summary>
    private int WindowOf(double timeMs) => Math.Min((int)(timeMs / _windowMs), _windowArrivals.Length - 1);
}
