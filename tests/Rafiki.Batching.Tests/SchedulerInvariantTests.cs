using Rafiki.Batching.Latency;
using Rafiki.Batching.Queueing;

namespace Rafiki.Batching.Tests;

/// <summary>
/// Randomized runs of <see cref="BatchScheduler{T}"/> that check, after every poll, the invariants a router relies
/// on. Every accepted request ends exactly once, and a batch takes a contiguous run of the waiting requests and
/// keeps the rest in arrival order. The queue stays within its capacity, and a free model with waiting requests
/// always has a batch or a wake-up. Arrivals come in bursts, batches run from half to ten times their estimate, some fail,
/// and timers fire late, so greedy with serve-late defers overdue requests often. Half the runs draw a maximum lateness
/// of at most 3 x tau, so served-late requests expire often too.
/// </summary>
/// <remarks>
/// The lateness invariant: a request starts only before it is due, at its arrival plus tau plus the maximum lateness
/// (0 with reject) minus c(1) as estimated at the start. So a request that ran ends before its deadline plus the
/// maximum lateness plus the latency of its batch. A late timer can delay a rejection but cannot make a request start
/// after it is due, because every poll rejects the due requests first. So the bound is true whatever the lag.
/// </remarks>
public class SchedulerInvariantTests
{
    private const int Seeds = 60;
    private const int ArrivalsPerRun = 400;

    /// <summary>Every policy with both overdue actions, so deferral is compared with the policies that never defer.</summary>
    public static TheoryData<string, OverdueAction> Policies()
    {
        var data = new TheoryData<string, OverdueAction>();
        foreach (var name in BatchingPolicies.All)
        {
            data.Add(name, OverdueAction.ServeLate);
            data.Add(name, OverdueAction.Reject);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Random_load_keeps_scheduler_invariants(string policy, OverdueAction overdueAction)
    {
        var overdueRejected = 0L;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            overdueRejected += new Run(policy, overdueAction, seed, stopAfterArrivals: null).Execute().OverdueRejected;
        }

        // Otherwise the checks on rejected requests, expired ones included with serve-late, would never run.
        Assert.True(overdueRejected > 0, $"policy {policy}, {overdueAction}: no run rejected an overdue request.");
    }

    [Theory]
    [MemberData(nameof(Policies))]
    public void Stop_mid_run_answers_every_request(string policy, OverdueAction overdueAction)
    {
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var stopAfter = new Random(seed).Next(1, ArrivalsPerRun);
            new Run(policy, overdueAction, seed, stopAfter).Execute();
        }
    }

    /// <summary>A latency model that reports a fixed wake-up lag, as the router's measured estimate does.</summary>
    private sealed class LaggingModel(BatchLatencyModel inner, double lagMs) : IBatchLatencyModel
    {
        public double WakeUpLagMs => lagMs;

        public double EstimateMs(int batchSize) => inner.EstimateMs(batchSize);
    }

    /// <summary>One randomized run in virtual time, like the simulator's loop but with faults.</summary>
    private sealed class Run
    {
        private readonly Random _random;
        private readonly BatchingOptions _options;
        private readonly BatchScheduler<int> _scheduler;
        private readonly int? _stopAfterArrivals;
        private readonly string _label;
        private readonly Dictionary<int, RequestOutcome> _outcomes = [];
        private readonly HashSet<int> _accepted = [];
        private double _nowMs;
        private double _completionMs = double.PositiveInfinity;
        private bool _completionFails;
        private double _wakeMs = double.PositiveInfinity;
        private int _arrivals;
        private double _nextArrivalMs;
        private double _burstEndsMs;

        public Run(string policy, OverdueAction overdueAction, int seed, int? stopAfterArrivals)
        {
            _random = new Random(seed);
            _stopAfterArrivals = stopAfterArrivals;
            var maxBatchSize = _random.Next(1, 17);
            var tauMs = 20 + (_random.NextDouble() * 80);
            _options = new BatchingOptions(tauMs, maxBatchSize)
            {
                MarginMs = _random.NextDouble() * 3,
                OverdueAction = overdueAction,
                QueueCapacity = _random.Next(1, 64),
                MaxQueueDelayMs = _random.NextDouble() * 10,
                MaxLateMs = _random.NextDouble() < 0.5 ? 1 + (_random.NextDouble() * 3 * tauMs) : null,
            };
            _label = $"policy {policy}, {overdueAction}, max lateness {_options.LateLimitMs:F1} ms, seed {seed}";
            var latency = TestModels.Linear(
                1 + (_random.NextDouble() * 4),
                _random.NextDouble(),
                maxBatchSize,
                new BatchLatencyModelOptions(MinSamples: 1, WindowSize: 8));
            var planning = new LaggingModel(latency, _random.NextDouble() * 3);
            _scheduler = new BatchScheduler<int>(BatchingPolicies.Create(policy, _options, planning), latency);
        }

        /// <summary>Runs until every request ended, or until the stop, and returns the final counters.</summary>
        public OutcomeCounts Execute()
        {
            _nextArrivalMs = NextArrivalAfter(0);
            var events = 0;
            while (true)
            {
                Assert.True(++events < 100_000, $"{_label}: no end after {events} events; the scheduler loops.");
                var nowMs = Math.Min(_nextArrivalMs, Math.Min(_completionMs, _wakeMs));
                if (double.IsPositiveInfinity(nowMs))
                {
                    break;
                }

                _nowMs = nowMs;
                if (nowMs == _completionMs)
                {
                    FinishRunningBatch();
                }
                else if (nowMs == _nextArrivalMs)
                {
                    Arrive();
                    if (_stopAfterArrivals == _arrivals)
                    {
                        StopAndCheck();
                        return _scheduler.Counts;
                    }
                }
                else
                {
                    _wakeMs = double.PositiveInfinity;
                }

                PollAndCheck();
            }

            Assert.Equal(0, _scheduler.QueueLength);
            Assert.False(_scheduler.IsBusy, $"{_label}: a batch is still running at the end.");
            Assert.Equal(_accepted.Count, _outcomes.Count);
            Assert.Equal(_scheduler.Counts.Accepted, _scheduler.Counts.Finished);
            return _scheduler.Counts;
        }

        private void Arrive()
        {
            var id = _arrivals++;
            if (_scheduler.Enqueue(id, _nowMs) == EnqueueResult.Accepted)
            {
                _accepted.Add(id);
            }

            Assert.True(
                _scheduler.QueueLength <= _options.QueueCapacity,
                $"{_label}: {_scheduler.QueueLength} waiting requests exceed the capacity {_options.QueueCapacity}.");
            _nextArrivalMs = _arrivals < ArrivalsPerRun ? NextArrivalAfter(_nowMs) : double.PositiveInfinity;
        }

        /// <summary>Returns the next arrival: bursts of about 1 request per 0.2 ms, then pauses of about 5 ms.</summary>
        private double NextArrivalAfter(double nowMs)
        {
            if (nowMs >= _burstEndsMs && _random.NextDouble() < 0.3)
            {
                _burstEndsMs = nowMs + (_random.NextDouble() * 30);
            }

            var meanGapMs = nowMs < _burstEndsMs ? 0.2 : 5;
            return nowMs + (-Math.Log(1 - _random.NextDouble()) * meanGapMs);
        }

        private void FinishRunningBatch()
        {
            var batch = _scheduler.RunningBatch!;
            _completionMs = double.PositiveInfinity;
            var finished = _completionFails
                ? _scheduler.Fail(batch.Id, _nowMs)
                : _scheduler.Complete(batch.Id, _nowMs).Requests;
            Assert.Equal(batch.Requests.Select(r => r.Request), finished.Select(r => r.Request.Request));
            Record(finished);
            if (!_completionFails)
            {
                CheckLateness(finished, _nowMs - batch.StartedAtMs);
            }
        }

        /// <summary>
        /// Checks that each request of a completed batch ended no later than its deadline plus the maximum lateness
        /// (0 with reject) plus the batch's latency: the lateness invariant of the class remarks, without the c(1)
        /// that it subtracts.
        /// </summary>
        private void CheckLateness(IEnumerable<FinishedRequest<int>> finished, double batchLatencyMs)
        {
            var latenessMs = _options.OverdueAction == OverdueAction.ServeLate ? _options.LateLimitMs : 0;
            foreach (var request in finished)
            {
                var latestEndMs = request.Request.ArrivalMs + _options.TauMs + latenessMs + batchLatencyMs;
                Assert.True(
                    request.FinishedAtMs <= latestEndMs,
                    $"{_label}: request {request.Request.Request} arrived at {request.Request.ArrivalMs} ms and ended "
                    + $"at {request.FinishedAtMs} ms, after the latest end {latestEndMs} ms.");
            }
        }

        /// <summary>
        /// Returns the time from which a request that arrived at <paramref name="arrivalMs"/> is due for rejection:
        /// when it turns overdue with reject, or when it expires with serve-late.
        /// </summary>
        private double DueAtMs(double arrivalMs, double singleLatencyMs)
        {
            var latenessMs = _options.OverdueAction == OverdueAction.ServeLate ? _options.LateLimitMs : 0;
            return arrivalMs + _options.TauMs + latenessMs - singleLatencyMs;
        }

        private void PollAndCheck()
        {
            var waitingBefore = _scheduler.WaitingRequests().Select(r => r.Request).ToList();
            var arrivalsMs = _scheduler.WaitingRequests().ToDictionary(r => r.Request, r => r.ArrivalMs);
            var wasBusy = _scheduler.IsBusy;
            var singleLatencyMs = _scheduler.LatencyModel.EstimateMs(1);

            var step = _scheduler.Poll(_nowMs);

            var rejected = step.Rejected.Select(r => r.Request.Request).ToList();
            var started = step.Batch?.Requests.Select(r => r.Request).ToList() ?? [];
            var waitingAfter = _scheduler.WaitingRequests().Select(r => r.Request).ToList();
            Assert.Equal(waitingBefore.Take(rejected.Count), rejected);
            if (_options.OverdueAction == OverdueAction.ServeLate)
            {
                // Only serve-late rejections must be due: with reject, greedy also rejects requests that would end
                // late in its batch before they turn overdue.
                foreach (var id in rejected)
                {
                    Assert.True(
                        _nowMs >= DueAtMs(arrivalsMs[id], singleLatencyMs),
                        $"{_label}: request {id} was rejected at {_nowMs} ms before it expired.");
                }
            }

            if (step.Batch is { } batch)
            {
                Assert.False(wasBusy, $"{_label}: a batch started while another ran.");
                Assert.InRange(batch.Size, 1, _options.MaxBatchSize);
                var first = waitingBefore.IndexOf(started[0]);
                Assert.True(first >= rejected.Count, $"{_label}: the batch took a rejected request.");
                Assert.Equal(waitingBefore.Skip(first).Take(started.Count), started);
                foreach (var id in started)
                {
                    var dueAtMs = DueAtMs(arrivalsMs[id], singleLatencyMs);
                    Assert.True(
                        _nowMs < dueAtMs, $"{_label}: request {id} started at {_nowMs} ms, due at {dueAtMs} ms.");
                }

                _completionFails = _random.NextDouble() < 0.05;
                _completionMs = _nowMs + SampleBatchLatencyMs(batch.Size);
            }

            Assert.Equal(waitingBefore.Except(rejected).Except(started), waitingAfter);
            Assert.True(
                waitingAfter.SequenceEqual(waitingAfter.Order()),
                $"{_label}: waiting requests left arrival order: {string.Join(", ", waitingAfter)}.");
            Record(step.Rejected);

            foreach (var id in waitingAfter)
            {
                var dueAtMs = DueAtMs(arrivalsMs[id], singleLatencyMs);
                Assert.True(_nowMs < dueAtMs, $"{_label}: request {id} still waits at {_nowMs} ms, due at {dueAtMs} ms.");
            }

            if (step.WakeAtMs is { } wakeAtMs)
            {
                Assert.True(wakeAtMs > _nowMs, $"{_label}: wake-up {wakeAtMs} ms is not after now ({_nowMs} ms).");
                if (step.Batch is null && waitingAfter.Count > 0)
                {
                    var oldestDueAtMs = DueAtMs(arrivalsMs[waitingAfter[0]], singleLatencyMs);
                    Assert.True(
                        wakeAtMs <= oldestDueAtMs,
                        $"{_label}: wake-up {wakeAtMs} ms is after the oldest request is due ({oldestDueAtMs} ms).");
                }

                // A late timer, as on a busy machine.
                _wakeMs = wakeAtMs + (_random.NextDouble() < 0.2 ? _random.NextDouble() * 5 : 0);
            }
            else
            {
                // Like the router, cancel the earlier timer.
                _wakeMs = double.PositiveInfinity;
            }

            if (!_scheduler.IsBusy && _scheduler.QueueLength > 0)
            {
                Assert.True(
                    step.WakeAtMs is not null,
                    $"{_label}: at {_nowMs} ms the model is free with {_scheduler.QueueLength} requests waiting, "
                    + "but the poll set no wake-up, so only a new arrival could serve them.");
            }

            var counts = _scheduler.Counts;
            Assert.Equal(counts.Accepted, counts.Finished + counts.Queued + counts.InFlight);
            Assert.Equal(_outcomes.Count, counts.Finished);
        }

        /// <summary>
        /// Returns a batch latency between half and twice the model's linear curve, and one in twenty ten times
        /// longer, as after a pause of the machine.
        /// </summary>
        private double SampleBatchLatencyMs(int size)
        {
            var typicalMs = _scheduler.LatencyModel.WarmupEstimateMs(size);
            var factor = _random.NextDouble() < 0.05 ? 10 : 0.5 + (_random.NextDouble() * 1.5);
            return typicalMs * factor;
        }

        private void Record(IEnumerable<FinishedRequest<int>> finished)
        {
            foreach (var request in finished)
            {
                Assert.True(
                    _accepted.Contains(request.Request.Request),
                    $"{_label}: request {request.Request.Request} ended but was never accepted.");
                Assert.True(
                    _outcomes.TryAdd(request.Request.Request, request.Outcome),
                    $"{_label}: request {request.Request.Request} ended twice: {_outcomes.GetValueOrDefault(request.Request.Request)} "
                    + $"and {request.Outcome}.");
            }
        }

        /// <summary>
        /// Stops like the router: fails the running batch, collects every waiting request for a rejection reply, and
        /// checks that each accepted request ends exactly once.
        /// </summary>
        private void StopAndCheck()
        {
            PollAndCheck();
            var answered = new List<int>();
            if (_scheduler.RunningBatch is { } running)
            {
                answered.AddRange(_scheduler.Fail(running.Id, _nowMs).Select(r => r.Request.Request));
            }

            answered.AddRange(_scheduler.WaitingRequests().Select(r => r.Request));
            Assert.Equal(answered.Count, answered.Distinct().Count());
            Assert.Empty(answered.Intersect(_outcomes.Keys));
            Assert.Equal(_accepted.Order(), answered.Concat(_outcomes.Keys).Order());
        }
    }
}
