namespace Rafiki.Core;

/// <summary>
/// Marker for every message and persisted event that may cross a node boundary or reach the journal.
/// The HOCON binding in <see cref="RafikiSerialization"/> routes all of them through <see cref="RafikiJsonSerializer"/>.
/// </summary>
public interface IRafikiMessage;
