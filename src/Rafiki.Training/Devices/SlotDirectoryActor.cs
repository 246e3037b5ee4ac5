using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;

namespace Rafiki.Training.Devices;

/// <summary>Feeds this node's <see cref="SlotDirectory"/> with the slot reports of every worker.</summary>
public sealed class SlotDirectoryActor : ReceiveActor
{
    private readonly SlotDirectory _directory = SlotDirectory.For(Context.System);

    public SlotDirectoryActor()
    {
        Receive<SlotReport>(_directory.Update);
        Receive<SubscribeAck>(_ => { });
        Receive<ClusterEvent.MemberRemoved>(removed => _directory.Remove(removed.Member.Address));
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    /// <summary>Props for the node's directory actor.</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new SlotDirectoryActor());

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(SlotReport.Topic, Self));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
