namespace Rafiki.Training.Devices;

/// <summary>Messages of a node's <see cref="DeviceSlotsActor"/>.</summary>
public static class DeviceSlotsProtocol
{
    /// <summary>Requests a free slot. The reply is <see cref="SlotGranted"/> once one is free, first come, first served.</summary>
    public sealed record AcquireSlot(string TrialId);

    /// <summary>The sender may use <see cref="Device"/> until it sends <see cref="ReleaseSlot"/> or stops.</summary>
    public sealed record SlotGranted(string TrialId, int Slot, string Device);

    /// <summary>Frees the sender's slot, or withdraws its waiting request.</summary>
    public sealed record ReleaseSlot(string TrialId);

    /// <summary>Requests the <see cref="SlotsStatus"/>.</summary>
    public sealed record GetSlots
    {
        public static GetSlots Instance { get; } = new();
    }

    /// <summary>The trial using each slot (null when free) and the trials waiting.</summary>
    public sealed record SlotsStatus(IReadOnlyList<string> Devices, IReadOnlyList<string?> Holders, IReadOnlyList<string> Waiting);
}
