using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using static Rafiki.Training.Devices.DeviceSlotsProtocol;

namespace Rafiki.Training.Devices;

/// <summary>
/// Hands out a worker node's device slots (a GPU each, or a share of the CPU) to trial actors, one trial per slot,
/// in the order they asked. A slot whose holder stops is freed, so a crashed trial never leaks it. With a pub-sub
/// mediator it publishes a <see cref="SlotReport"/> on every change and every <see cref="SlotReport.Interval"/>.
/// </summary>
public sealed class DeviceSlotsActor : ReceiveActor, IWithTimers
{
    private readonly IReadOnlyList<string> _devices;
    private readonly IActorRef? _mediator;
    private readonly Address _node;
    private long _sequence;
    private readonly (string TrialId, IActorRef Holder)?[] _holders;
    private readonly List<(string TrialId, IActorRef Requester)> _waiting = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public DeviceSlotsActor(IReadOnlyList<string> devices, IActorRef? mediator, Address node)
    {
        if (devices.Count == 0)
        {
            throw new ArgumentException("a worker needs at least one device slot; set deviceSlots to 1 or more.", nameof(devices));
        }

        _devices = devices;
        _mediator = mediator;
        _node = node;
        _holders = new (string, IActorRef)?[devices.Count];
        Receive<AcquireSlot>(Acquire);
        Receive<ReleaseSlot>(release => Release(release.TrialId, Sender));
        Receive<Terminated>(terminated => ReleaseAllOf(terminated.ActorRef));
        Receive<GetSlots>(_ => Sender.Tell(new SlotsStatus(
            _devices, [.. _holders.Select(h => h?.TrialId)], [.. _waiting.Select(w => w.TrialId)])));
        Receive<PublishReport>(_ => Publish());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Props for a node with the given slot devices, such as <c>["cpu"]</c> or <c>["cuda:0", "cuda:1"]</c>.
    /// With <paramref name="mediator"/>, slot reports for <paramref name="node"/> go to the cluster.
    /// </summary>
    public static Props Props(IReadOnlyList<string> devices, IActorRef? mediator = null, Address? node = null) =>
        Akka.Actor.Props.Create(() => new DeviceSlotsActor(devices, mediator, node ?? Address.AllSystems));

    protected override void PreStart()
    {
        if (_mediator is not null)
        {
            Publish();
            Timers.StartPeriodicTimer(nameof(PublishReport), PublishReport.Instance, SlotReport.Interval);
        }
    }

    /// <summary>
    /// Queues or grants a slot request. A trial id that already has or waits for a slot is recorded under the
    /// latest requester, because a sharded trial entity that restarts requests again from a new actor. Keeping the
    /// old requester would free the slot or drop the queue place once the old actor's termination arrives.
    /// </summary>
    private void Acquire(AcquireSlot request)
    {
        var held = Array.FindIndex(_holders, h => h?.TrialId == request.TrialId);
        if (held >= 0)
        {
            if (!_holders[held]!.Value.Holder.Equals(Sender))
            {
                Context.Watch(Sender);
                _holders[held] = (request.TrialId, Sender);
            }

            Sender.Tell(new SlotGranted(request.TrialId, held, _devices[held]));
            return;
        }

        var waiting = _waiting.FindIndex(w => w.TrialId == request.TrialId);
        if (waiting >= 0)
        {
            if (!_waiting[waiting].Requester.Equals(Sender))
            {
                Context.Watch(Sender);
                _waiting[waiting] = (request.TrialId, Sender);
            }

            return;
        }

        Context.Watch(Sender);
        _waiting.Add((request.TrialId, Sender));
        GrantFreeSlots();
        Publish();
    }

    /// <summary>
    /// Frees the slot or withdraws the request of <paramref name="trialId"/>, but only where
    /// <paramref name="sender"/> is the recorded holder or requester. A trial actor releases from PostStop, so an
    /// old incarnation of a trial releases after a new one took over its record, and must not free the new one's slot.
    /// </summary>
    private void Release(string trialId, IActorRef sender)
    {
        _waiting.RemoveAll(w => w.TrialId == trialId && w.Requester.Equals(sender));
        var slot = Array.FindIndex(_holders, h => h?.TrialId == trialId && h.Value.Holder.Equals(sender));
        if (slot >= 0)
        {
            _holders[slot] = null;
            _log.Debug("Released slot {Slot} held by trial {TrialId}", slot, trialId);
        }

        if (!_holders.Any(h => h?.Holder.Equals(sender) == true) && !_waiting.Any(w => w.Requester.Equals(sender)))
        {
            Context.Unwatch(sender);
        }

        GrantFreeSlots();
        Publish();
    }

    private void ReleaseAllOf(IActorRef holder)
    {
        _waiting.RemoveAll(w => w.Requester.Equals(holder));
        for (var slot = 0; slot < _holders.Length; slot++)
        {
            if (_holders[slot]?.Holder.Equals(holder) == true)
            {
                _log.Warning("Trial {TrialId} stopped without releasing slot {Slot}; freed it", _holders[slot]!.Value.TrialId, slot);
                _holders[slot] = null;
            }
        }

        GrantFreeSlots();
        Publish();
    }

    private void GrantFreeSlots()
    {
        for (var slot = 0; slot < _holders.Length && _waiting.Count > 0; slot++)
        {
            if (_holders[slot] is null)
            {
                var (trialId, requester) = _waiting[0];
                _waiting.RemoveAt(0);
                _holders[slot] = (trialId, requester);
                requester.Tell(new SlotGranted(trialId, slot, _devices[slot]));
            }
        }
    }

    private void Publish()
    {
        var busy = _holders.Count(holder => holder is not null);
        _mediator?.Tell(new Publish(SlotReport.Topic, new SlotReport(_node.ToString(), _devices.Count, busy, _waiting.Count, ++_sequence)));
    }

    private sealed record PublishReport
    {
        public static PublishReport Instance { get; } = new();
    }
}
