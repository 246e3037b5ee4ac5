using Akka.Actor;
using Akka.Event;
using static Rafiki.Training.Devices.DeviceSlotsProtocol;

namespace Rafiki.Training.Devices;

/// <summary>
/// Hands out a worker node's device slots (a GPU each, or a share of the CPU) to trial actors, one trial per slot,
/// in the order they asked. A slot whose holder stops is freed, so a crashed trial never leaks it.
/// </summary>
public sealed class DeviceSlotsActor : ReceiveActor
{
    private readonly IReadOnlyList<string> _devices;
    private readonly (string TrialId, IActorRef Holder)?[] _holders;
    private readonly List<(string TrialId, IActorRef Requester)> _waiting = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public DeviceSlotsActor(IReadOnlyList<string> devices)
    {
        if (devices.Count == 0)
        {
            throw new ArgumentException("a worker needs at least one device slot; set deviceSlots to 1 or more.", nameof(devices));
        }

        _devices = devices;
        _holders = new (string, IActorRef)?[devices.Count];
        Receive<AcquireSlot>(Acquire);
        Receive<ReleaseSlot>(release => Release(release.TrialId, Sender));
        Receive<Terminated>(terminated => ReleaseAllOf(terminated.ActorRef));
        Receive<GetSlots>(_ => Sender.Tell(new SlotsStatus(
            _devices, [.. _holders.Select(h => h?.TrialId)], [.. _waiting.Select(w => w.TrialId)])));
    }

    /// <summary>Props for a node with the given slot devices, such as <c>["cpu"]</c> or <c>["cuda:0", "cuda:1"]</c>.</summary>
    public static Props Props(IReadOnlyList<string> devices) => Akka.Actor.Props.Create(() => new DeviceSlotsActor(devices));

    private void Acquire(AcquireSlot request)
    {
        var held = Array.FindIndex(_holders, h => h?.TrialId == request.TrialId);
        if (held >= 0)
        {
            Sender.Tell(new SlotGranted(request.TrialId, held, _devices[held]));
            return;
        }

        if (_waiting.Any(w => w.TrialId == request.TrialId))
        {
            return;
        }

        Context.Watch(Sender);
        _waiting.Add((request.TrialId, Sender));
        GrantFreeSlots();
    }

    private void Release(string trialId, IActorRef sender)
    {
        _waiting.RemoveAll(w => w.TrialId == trialId);
        var slot = Array.FindIndex(_holders, h => h?.TrialId == trialId);
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
}
