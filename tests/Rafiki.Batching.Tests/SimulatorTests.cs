using Rafiki.Batching.Simulation;

namespace Rafiki.Batching.Tests;

/// <summary>
/// Simulations with c(b) = 2 ms + 0.25 ms * b and Bmax = 64, so capacity is 64 / 18 ms, about 3556 requests per
/// second, and tau = 50 ms.
/// </summary>
public class SimulatorTests
{
    private const int MaxBatchSize = 64;
    private static readonly LinearBatchLatency Latency = new(fixedMs: 2, perRequestMs: 0.25, noiseSigma: 0.1);
    private static readonly double CapacityPerSecond = MaxBatchSize * 1000 / Latency.MeanMs(MaxBatchSize);
    private static readonly BatchingOptions Options =
        new(TauMs: 50, MaxBatchSize) { MarginMs = 1, MaxQueueDelayMs = 5, QueueCapacity = 4096 };

    private static SineArrivals Sine => new(0.6 * CapacityPerSecond, 0.5 * CapacityPerSecond, periodMs: 20_000);

    private static SimulationReport Simulate(
        string policy,
        IArrivalProcess arrivals,
        double durationMs = 20_000,
        int seed = 42,
        BatchingOptions? options = null) =>
        BatchingSimulator.Run(new SimulationSetup(policy, options ?? Options, arrivals, Latency, durationMs, seed));

    [Fact]
    public void Simulator_is_reproducible_for_seed()
    {
        var first = Simulate(BatchingPolicies.Greedy, Sine, seed: 7);
        var second = Simulate(BatchingPolicies.Greedy, Sine, seed: 7);

        Assert.Equal(first.Counts, second.Counts);
        Assert.Equal(first.EndMs, second.EndMs);
        Assert.Equal(first.BusyMs, second.BusyMs);
        Assert.Equal(first.Latency, second.Latency);
        Assert.Equal(first.BatchSizeCounts, second.BatchSizeCounts);
        Assert.Equal(first.Windows, second.Windows);
    }

    [Fact]
    public void Different_seeds_give_different_runs()
    {
        var first = Simulate(BatchingPolicies.Greedy, Sine, seed: 7);
        var second = Simulate(BatchingPolicies.Greedy, Sine, seed: 8);

        Assert.NotEqual(first.Counts.Offered, second.Counts.Offered);
    }

    [Fact]
    public void Policies_see_identical_arrivals()
    {
        var reports = BatchingPolicies.All.Select(policy => Simulate(policy, Sine)).ToList();

        foreach (var report in reports.Skip(1))
        {
            Assert.Equal(reports[0].Counts.Offered, report.Counts.Offered);
            Assert.Equal(
                reports[0].Windows.Select(window => window.Arrivals),
                report.Windows.Select(window => window.Arrivals));
        }
    }

    [Theory]
    [InlineData(OverdueAction.ServeLate)]
    [InlineData(OverdueAction.Reject)]
    public void Every_accepted_request_ends(OverdueAction overdue)
    {
        var options = Options with { OverdueAction = overdue, QueueCapacity = 256 };
        foreach (var arrivals in Workloads())
        {
            foreach (var policy in BatchingPolicies.All)
            {
                var report = Simulate(policy, arrivals, durationMs: 5_000, options: options);
                var counts = report.Counts;

                Assert.True(counts.Offered > 0, $"{policy} on {arrivals.Name}: no arrivals");
                Assert.Equal(counts.Accepted, counts.Finished);
                Assert.Equal(0, counts.Failed);
                Assert.Equal(
                    counts.Answered + counts.OverdueServedLate,
                    report.BatchSizeCounts.Select((batches, size) => batches * size).Sum());
            }
        }
    }

    [Fact]
    public void Greedy_meets_tau_at_moderate_load()
    {
        var report = Simulate(BatchingPolicies.Greedy, new PoissonArrivals(0.5 * CapacityPerSecond));

        Assert.Equal(0, report.Counts.OverdueRejected);
        Assert.True(report.OverdueRatio < 0.001, $"overdue ratio {report.OverdueRatio}");
        Assert.True(report.Latency.P99Ms <= 50, $"p99 {report.Latency.P99Ms} ms");
    }

    [Fact]
    public void Greedy_batches_larger_under_sine()
    {
        // Greedy keeps at least about the same goodput as fixed-wait and AIMD with far larger batches, so the model
        // is busy for a smaller share of the run. Serving late, it also leaves out the requests that a full batch
        // would make late, so far fewer requests miss tau.
        var greedy = Simulate(BatchingPolicies.Greedy, Sine);
        foreach (var other in new[] { BatchingPolicies.FixedWait, BatchingPolicies.Aimd })
        {
            var report = Simulate(other, Sine);

            Assert.True(
                greedy.MeanBatchSize > 2 * report.MeanBatchSize,
                $"greedy mean batch {greedy.MeanBatchSize:0.0}, {other} {report.MeanBatchSize:0.0}");
            Assert.True(
                greedy.BusyFraction < report.BusyFraction - 0.1,
                $"greedy busy {greedy.BusyFraction:P0}, {other} {report.BusyFraction:P0}");
            Assert.True(
                greedy.GoodputPerSecond > 0.9 * report.GoodputPerSecond,
                $"greedy goodput {greedy.GoodputPerSecond:0}, {other} {report.GoodputPerSecond:0}");
            Assert.True(
                greedy.OverdueRatio < report.OverdueRatio / 2,
                $"greedy overdue {greedy.OverdueRatio:P2}, {other} {report.OverdueRatio:P2}");
        }
    }

    [Fact]
    public void Sine_overload_causes_overdue_near_peak()
    {
        var report = Simulate(BatchingPolicies.Greedy, Sine);
        var quiet = report.Windows.Where(window => window.ArrivalRatePerSecond < 0.5 * CapacityPerSecond).ToList();
        var peak = report.Windows.MaxBy(window => window.ArrivalRatePerSecond)!;

        Assert.NotEmpty(quiet);
        Assert.All(quiet, window => Assert.True(window.OverdueRatio < 0.01, $"{window.OverdueRatio:P1} overdue"));
        // At 1.1x capacity some requests must miss tau. Greedy leaves out the ones that would end late in the
        // batch, so the rest still meet it and far from all of them miss.
        Assert.InRange(peak.OverdueRatio, 0.01, 0.5);
    }

    [Fact]
    public void Reject_mode_bounds_served_latency()
    {
        var options = Options with { OverdueAction = OverdueAction.Reject };

        // A maximum lateness longer than the run lets serve-late keep every request.
        var serveLate = Simulate(BatchingPolicies.Greedy, Sine, options: Options with { MaxLateMs = 60_000 });
        var reject = Simulate(BatchingPolicies.Greedy, Sine, options: options);

        // A request runs only if it could still finish alone, and then at most one Bmax batch delays it.
        Assert.True(reject.Latency.MaxMs < 50 + (2 * Latency.MeanMs(MaxBatchSize)), $"max {reject.Latency.MaxMs} ms");
        Assert.True(serveLate.Latency.MaxMs > 100, $"max {serveLate.Latency.MaxMs} ms");
        Assert.True(reject.Counts.OverdueRejected > 0, "no request was rejected as overdue");
    }

    [Theory]
    [InlineData(BatchingPolicies.None)]
    [InlineData(BatchingPolicies.Greedy)]
    public void Serve_late_cap_bounds_served_latency(string policy)
    {
        // Arrivals at 1.5x capacity for the whole run. A request runs only before its deadline plus 200 ms minus
        // c(1), so it ends at most one batch latency after that. Noise stays well below doubling a batch's latency.
        var arrivals = new ConstantArrivals(1.5 * CapacityPerSecond);
        var capped = Simulate(policy, arrivals, durationMs: 5000, options: Options with { MaxLateMs = 200 });
        var uncapped = Simulate(policy, arrivals, durationMs: 5000, options: Options with { MaxLateMs = 60_000 });

        var bound = 50 + 200 + (2 * Latency.MeanMs(MaxBatchSize));
        Assert.True(capped.Latency.MaxMs <= bound, $"capped max {capped.Latency.MaxMs} ms, bound {bound} ms");
        Assert.True(capped.Counts.OverdueRejected > 0, "no request expired");
        Assert.True(uncapped.Latency.MaxMs > 1000, $"uncapped max {uncapped.Latency.MaxMs} ms");
        Assert.Equal(0, uncapped.Counts.OverdueRejected);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Greedy_rejecting_misses_less_at_peaks(int seed)
    {
        // With overdue requests rejected, greedy leaves out of each batch the oldest requests that would end late
        // in it, so near the peak its full batches end in time. Fixed-wait and AIMD run those requests late.
        var options = Options with { OverdueAction = OverdueAction.Reject };
        var greedy = Simulate(BatchingPolicies.Greedy, Sine, seed: seed, options: options);
        foreach (var other in new[] { BatchingPolicies.FixedWait, BatchingPolicies.Aimd })
        {
            var report = Simulate(other, Sine, seed: seed, options: options);

            Assert.True(
                greedy.OverdueRatio < report.OverdueRatio / 2,
                $"greedy overdue {greedy.OverdueRatio:P1}, {other} {report.OverdueRatio:P1}");
            Assert.True(
                greedy.GoodputPerSecond > report.GoodputPerSecond,
                $"greedy goodput {greedy.GoodputPerSecond:0}, {other} {report.GoodputPerSecond:0}");
        }
    }

    [Fact]
    public void Learnt_margin_covers_coarse_timer()
    {
        // At low load greedy waits until the oldest request's deadline, so a timer that fires up to 10 ms late makes
        // the oldest requests of a batch late unless the margin covers the tick. A configured margin of 1 ms does
        // not, so greedy learns the rest from its first missed batches.
        var arrivals = new PoissonArrivals(0.05 * CapacityPerSecond);
        SimulationReport Run(double tickMs, double marginMs) => BatchingSimulator.Run(
            new SimulationSetup(
                BatchingPolicies.Greedy, Options with { MarginMs = marginMs }, arrivals, Latency, 20_000, 42)
            {
                TimerResolutionMs = tickMs,
            });

        var exact = Run(tickMs: 0, marginMs: 1);
        var coarse = Run(tickMs: 10, marginMs: 1);
        var covered = Run(tickMs: 10, marginMs: 11);

        Assert.True(exact.OverdueRatio < 0.01, $"exact timer: {exact.OverdueRatio:P2} overdue");
        Assert.True(coarse.OverdueRatio < 0.01, $"10 ms tick, 1 ms margin: {coarse.OverdueRatio:P2} overdue");
        Assert.True(coarse.Counts.OverdueServedLate > 0, "the 10 ms tick made no batch late, so greedy learnt nothing");
        Assert.True(covered.OverdueRatio < 0.01, $"10 ms tick, 11 ms margin: {covered.OverdueRatio:P2} overdue");
    }

    [Fact]
    public void No_batching_is_overloaded_at_moderate_load()
    {
        // One request per 2.25 ms is about 444 per second, far below 0.5x capacity. The queue contains only the
        // requests of about the last 550 ms (tau plus the default maximum lateness of 10 x tau), because older ones
        // expire, so the overload shows as overdue rejections instead of a full queue.
        var report = Simulate(BatchingPolicies.None, new ConstantArrivals(0.5 * CapacityPerSecond));
        var expiredRatio = (double)report.Counts.OverdueRejected / report.Counts.Offered;

        Assert.Equal(1, report.MeanBatchSize);
        Assert.True(expiredRatio > 0.5, $"expired ratio {expiredRatio:P0}");
        Assert.Equal(0, report.Counts.RejectedQueueFull);
        Assert.InRange(report.ThroughputPerSecond, 400, 450);
    }

    [Fact]
    public void Invalid_setup_is_rejected()
    {
        var setup = new SimulationSetup("greedy", Options, Sine, Latency, DurationMs: 0, Seed: 1);

        var error = Assert.Throws<ArgumentException>(() => BatchingSimulator.Run(setup));

        Assert.Contains("DurationMs is 0, which is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_policy_in_setup_is_rejected()
    {
        var setup = new SimulationSetup("fifo", Options, Sine, Latency, DurationMs: 1000, Seed: 1);

        var error = Assert.Throws<ArgumentException>(() => BatchingSimulator.Run(setup));

        Assert.Contains("Batching policy 'fifo' is unknown", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<IArrivalProcess> Workloads() =>
    [
        new ConstantArrivals(0.8 * CapacityPerSecond),
        new PoissonArrivals(0.8 * CapacityPerSecond),
        new MarkovModulatedArrivals(1.5 * CapacityPerSecond, 0.3 * CapacityPerSecond, 500, 1500),
        Sine,
    ];
}
