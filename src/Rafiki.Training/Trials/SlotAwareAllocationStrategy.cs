using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Rafiki.Training.Devices;

namespace Rafiki.Training.Trials;

/// <summary>
/// Places each trial shard (one trial per shard) on the worker with the most free device slots, so a study uses
/// every worker's slots at once instead of queueing on one node. Running trials are never moved: a rebalance would
/// interrupt training, and a new trial goes where room is anyway.
/// </summary>
public sealed class SlotAwareAllocationStrategy : IShardAllocationStrategy, IActorSystemDependentAllocationStrategy
{
    private SlotDirectory? _directory;
    private Address? _selfAddress;

    public void Start(ActorSystem system)
    {
        _directory = SlotDirectory.For(system);
        _selfAddress = Cluster.Get(system).SelfAddress;
    }

    public Task<IActorRef> AllocateShard(
        IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var regions = currentShardAllocations.Keys.ToList();
        if (regions.Count == 0)
        {
            return Task.FromResult(requester);
        }

        // Most free slots first; regions that never reported count as none free; ties go to the region with
        // fewer shards, then to the lowest address, so the choice is stable.
        var chosen = regions
            .Select(region => (Region: region, Address: AddressOf(region), Shards: currentShardAllocations[region].Count))
            .OrderByDescending(candidate => _directory?.FreeSlots(candidate.Address) ?? 0)
            .ThenBy(candidate => candidate.Shards)
            .ThenBy(candidate => candidate.Address.ToString(), StringComparer.Ordinal)
            .First();
        _directory?.RecordPlacement(chosen.Address);
        return Task.FromResult(chosen.Region);
    }

    public Task<IImmutableSet<string>> Rebalance(
        IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);

    // A local region's path has no host; it lives at this node's address.
    private Address AddressOf(IActorRef region) =>
        region.Path.Address.HasGlobalScope ? region.Path.Address : _selfAddress ?? region.Path.Address;
}
