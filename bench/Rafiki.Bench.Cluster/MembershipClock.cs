using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;

namespace Rafiki.Bench.Cluster;

/// <summary>
/// Records when the observing member first saw another member become unreachable, downed and removed, so the
/// failover time splits into detection, downing and the restart of the trial.
/// </summary>
public sealed class MembershipClock
{
    private readonly ConcurrentDictionary<(int Port, string Step), long> _seen = new();

    private MembershipClock()
    {
    }

    /// <summary>Subscribes an observer in <paramref name="system"/> to the cluster's membership events.</summary>
    public static MembershipClock Start(ActorSystem system)
    {
        var clock = new MembershipClock();
        system.ActorOf(Props.Create(() => new Observer(clock)), "membership-clock");
        return clock;
    }

    /// <summary>Seconds from <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp) to a step; null if not seen.</summary>
    public double? SecondsSince(long start, int port, string step) =>
        _seen.TryGetValue((port, step), out var at) && at >= start ? Stopwatch.GetElapsedTime(start, at).TotalSeconds : null;

    /// <summary>Forgets what was seen of a member, before it is killed again.</summary>
    public void Forget(int port)
    {
        foreach (var key in _seen.Keys.Where(key => key.Port == port))
        {
            _seen.TryRemove(key, out _);
        }
    }

    private void Record(Address address, string step) =>
        _seen.TryAdd((address.Port ?? 0, step), Stopwatch.GetTimestamp());

    private sealed class Observer : ReceiveActor
    {
        public Observer(MembershipClock clock)
        {
            Receive<ClusterEvent.UnreachableMember>(e => clock.Record(e.Member.Address, "unreachable"));
            Receive<ClusterEvent.MemberDowned>(e => clock.Record(e.Member.Address, "downed"));
            Receive<ClusterEvent.MemberRemoved>(e => clock.Record(e.Member.Address, "removed"));
            Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(
                Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
