using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;

namespace Rafiki.Training.Devices;

/// <summary>
/// This node's view of every worker's free device slots, built from <see cref="SlotReport"/>s. Trials placed since a
/// worker's last report count as busy until the next report, so a burst of placements does not overfill one node.
/// Thread-safe: the allocation strategy reads it while the directory actor writes it.
/// </summary>
public sealed class SlotDirectory : IExtension
{
    private readonly ConcurrentDictionary<Address, (SlotReport Report, long ReceivedAt)> _reports = new();
    private readonly ConcurrentDictionary<Address, ConcurrentQueue<long>> _placements = new();

    /// <summary>Returns the directory of an actor system, creating it on first use.</summary>
    public static SlotDirectory For(ActorSystem system) => system.WithExtension<SlotDirectory, SlotDirectoryProvider>();

    /// <summary>Stores a report unless a newer one from the same node is already stored.</summary>
    public void Update(SlotReport report)
    {
        var now = Stopwatch.GetTimestamp();
        _reports.AddOrUpdate(Address.Parse(report.Node), (report, now), (_, existing) => report.Sequence > existing.Report.Sequence ? (report, now) : existing);
    }

    /// <summary>Forgets a node that left the cluster.</summary>
    public void Remove(Address node)
    {
        _reports.TryRemove(node, out _);
        _placements.TryRemove(node, out _);
    }

    /// <summary>Records that a trial was just placed on <paramref name="node"/>.</summary>
    public void RecordPlacement(Address node) =>
        _placements.GetOrAdd(node, _ => new ConcurrentQueue<long>()).Enqueue(Stopwatch.GetTimestamp());

    /// <summary>Returns the free slots of a node minus trials placed there since its last report; null if it never reported.</summary>
    public int? FreeSlots(Address node)
    {
        if (!_reports.TryGetValue(node, out var entry))
        {
            return null;
        }

        var placedSince = 0;
        if (_placements.TryGetValue(node, out var placements))
        {
            while (placements.TryPeek(out var oldest) && oldest < entry.ReceivedAt)
            {
                placements.TryDequeue(out _);
            }

            placedSince = placements.Count;
        }

        return entry.Report.Free - placedSince;
    }

    private sealed class SlotDirectoryProvider : ExtensionIdProvider<SlotDirectory>
    {
        public override SlotDirectory CreateExtension(ExtendedActorSystem system) => new();
    }
}
