using Akka.Actor;
using Rafiki.Core;

namespace Rafiki.Training.Devices;

/// <summary>
/// A worker's device-slot load, published to every node on <see cref="Topic"/> whenever it changes and every
/// <see cref="Interval"/> in between, so the trial shard coordinator can place trials where slots are free.
/// </summary>
/// <param name="Node">Address of the worker node, as <see cref="Address.ToString"/> writes it.</param>
/// <param name="Slots">Device slots the node has.</param>
/// <param name="Busy">Slots held by trials.</param>
/// <param name="Waiting">Trials on the node waiting for a slot.</param>
/// <param name="Sequence">Grows with each report of the node, so a late report never replaces a newer one.</param>
public sealed record SlotReport(string Node, int Slots, int Busy, int Waiting, long Sequence) : IRafikiMessage
{
    /// <summary>Distributed pub-sub topic of slot reports.</summary>
    public const string Topic = "rafiki-device-slots";

    /// <summary>Time between two reports of an unchanged node.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Slots neither held nor promised to a waiting trial, negative when more trials wait than slots are free, so
    /// placement spreads queued trials over the workers.
    /// </summary>
    public int Free => Slots - Busy - Waiting;
}
