using System.Collections.Concurrent;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Rafiki.Core;

/// <summary>
/// Serializes <see cref="IRafikiMessage"/> records as UTF-8 JSON with the type name as manifest, so persisted
/// events stay readable and survive assembly version changes.
/// </summary>
public sealed class RafikiJsonSerializer : SerializerWithStringManifest
{
    private static readonly ConcurrentDictionary<string, Type> TypesByManifest = new();

    public RafikiJsonSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <summary>Serializer id in the user range (above 100) that no Akka module uses.</summary>
    public override int Identifier => 4711;

    public override string Manifest(object o) => ManifestOf(o.GetType());

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), RafikiJson.Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = TypesByManifest.GetOrAdd(manifest, ResolveType);
        return JsonSerializer.Deserialize(bytes, type, RafikiJson.Options)
               ?? throw new SerializationException($"JSON for '{manifest}' deserialized to null.");
    }

    /// <summary>Returns the manifest of a message type: its full name and assembly name.</summary>
    public static string ManifestOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static Type ResolveType(string manifest) =>
        Type.GetType(manifest, throwOnError: false)
        ?? throw new SerializationException(
            $"Unknown message type '{manifest}': the node that persisted or sent it runs code this node lacks.");
}
