using Akka.Actor;
using Akka.TestKit.Xunit2;
using Rafiki.Training.Devices;
using static Rafiki.Training.Devices.DeviceSlotsProtocol;

namespace Rafiki.Training.Tests;

public class DeviceSlotsActorTests : TestKit
{
    [Fact]
    public void Slots_go_first_come_first_served()
    {
        var slots = Sys.ActorOf(DeviceSlotsActor.Props(["cuda:0", "cuda:1"]));
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var third = CreateTestProbe();

        slots.Tell(new AcquireSlot("t1"), first);
        slots.Tell(new AcquireSlot("t2"), second);
        slots.Tell(new AcquireSlot("t3"), third);

        Assert.Equal(new SlotGranted("t1", 0, "cuda:0"), first.ExpectMsg<SlotGranted>());
        Assert.Equal(new SlotGranted("t2", 1, "cuda:1"), second.ExpectMsg<SlotGranted>());
        third.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        slots.Tell(new ReleaseSlot("t1"), first);
        Assert.Equal(new SlotGranted("t3", 0, "cuda:0"), third.ExpectMsg<SlotGranted>());
    }

    [Fact]
    public void Stopped_holder_frees_its_slot()
    {
        var slots = Sys.ActorOf(DeviceSlotsActor.Props(["cpu"]));
        var holder = CreateTestProbe();
        var waiter = CreateTestProbe();
        slots.Tell(new AcquireSlot("t1"), holder);
        holder.ExpectMsg<SlotGranted>();
        slots.Tell(new AcquireSlot("t2"), waiter);

        Sys.Stop(holder.Ref);

        Assert.Equal("t2", waiter.ExpectMsg<SlotGranted>().TrialId);
    }

    [Fact]
    public void Repeated_request_gets_same_slot()
    {
        var slots = Sys.ActorOf(DeviceSlotsActor.Props(["cpu", "cpu"]));

        slots.Tell(new AcquireSlot("t1"), TestActor);
        var first = ExpectMsg<SlotGranted>();
        slots.Tell(new AcquireSlot("t1"), TestActor);
        var again = ExpectMsg<SlotGranted>();
        slots.Tell(GetSlots.Instance, TestActor);
        var status = ExpectMsg<SlotsStatus>();

        Assert.Equal(first, again);
        Assert.Equal(["t1", null], status.Holders);
    }

    [Fact]
    public void Restarted_waiting_trial_keeps_its_place()
    {
        var slots = Sys.ActorOf(DeviceSlotsActor.Props(["cpu"]));
        var holder = CreateTestProbe();
        var firstIncarnation = CreateTestProbe();
        var secondIncarnation = CreateTestProbe();
        slots.Tell(new AcquireSlot("t1"), holder);
        holder.ExpectMsg<SlotGranted>();
        slots.Tell(new AcquireSlot("t2"), firstIncarnation);

        slots.Tell(new AcquireSlot("t2"), secondIncarnation);
        Watch(firstIncarnation.Ref);
        Sys.Stop(firstIncarnation.Ref);
        ExpectTerminated(firstIncarnation.Ref);
        slots.Tell(new ReleaseSlot("t1"), holder);

        Assert.Equal(new SlotGranted("t2", 0, "cpu"), secondIncarnation.ExpectMsg<SlotGranted>());
    }

    [Fact]
    public void Restarted_holder_keeps_its_slot()
    {
        var slots = Sys.ActorOf(DeviceSlotsActor.Props(["cpu"]));
        var firstIncarnation = CreateTestProbe();
        var secondIncarnation = CreateTestProbe();
        var waiter = CreateTestProbe();
        slots.Tell(new AcquireSlot("t1"), firstIncarnation);
        firstIncarnation.ExpectMsg<SlotGranted>();
        slots.Tell(new AcquireSlot("t1"), secondIncarnation);
        secondIncarnation.ExpectMsg<SlotGranted>();
        slots.Tell(new AcquireSlot("t2"), waiter);

        Watch(firstIncarnation.Ref);
        Sys.Stop(firstIncarnation.Ref);
        ExpectTerminated(firstIncarnation.Ref);
        slots.Tell(GetSlots.Instance, TestActor);

        Assert.Equal(["t1"], ExpectMsg<SlotsStatus>().Holders);
        waiter.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Old_incarnation_release_keeps_new_holder_slot()
    {
        // Like a trial actor, the first incarnation sends ReleaseSlot from PostStop, here after the second
        // incarnation took over its slot. Freeing the slot then would grant it to the waiter while the second
        // incarnation still trains on it.
        var slots = Sys.ActorOf(DeviceSlotsActor.Props(["cpu"]));
        var firstGrants = CreateTestProbe();
        var firstIncarnation = Sys.ActorOf(Props.Create(() => new ReleasingOnStop(slots, "t1", firstGrants.Ref)));
        firstGrants.ExpectMsg<SlotGranted>();
        var secondIncarnation = CreateTestProbe();
        var waiter = CreateTestProbe();
        slots.Tell(new AcquireSlot("t1"), secondIncarnation);
        secondIncarnation.ExpectMsg<SlotGranted>();
        slots.Tell(new AcquireSlot("t2"), waiter);

        Watch(firstIncarnation);
        Sys.Stop(firstIncarnation);
        ExpectTerminated(firstIncarnation);
        slots.Tell(GetSlots.Instance, TestActor);

        Assert.Equal(["t1"], ExpectMsg<SlotsStatus>().Holders);
        waiter.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Old_incarnation_release_keeps_new_waiter_place()
    {
        var slots = Sys.ActorOf(DeviceSlotsActor.Props(["cpu"]));
        var holder = CreateTestProbe();
        var firstIncarnation = CreateTestProbe();
        var secondIncarnation = CreateTestProbe();
        slots.Tell(new AcquireSlot("t1"), holder);
        holder.ExpectMsg<SlotGranted>();
        slots.Tell(new AcquireSlot("t2"), firstIncarnation);
        slots.Tell(new AcquireSlot("t2"), secondIncarnation);

        slots.Tell(new ReleaseSlot("t2"), firstIncarnation);
        slots.Tell(new ReleaseSlot("t1"), holder);

        Assert.Equal(new SlotGranted("t2", 0, "cpu"), secondIncarnation.ExpectMsg<SlotGranted>());
    }

    /// <summary>A trial actor's slot handling: requests a slot at start and releases it in PostStop.</summary>
    private sealed class ReleasingOnStop : ReceiveActor
    {
        private readonly IActorRef _slots;
        private readonly string _trialId;

        public ReleasingOnStop(IActorRef slots, string trialId, IActorRef grants)
        {
            _slots = slots;
            _trialId = trialId;
            Receive<SlotGranted>(granted => grants.Tell(granted));
        }

        protected override void PreStart() => _slots.Tell(new AcquireSlot(_trialId));

        protected override void PostStop() => _slots.Tell(new ReleaseSlot(_trialId));
    }
}
