namespace Rafiki.Core;

/// <summary>HOCON that binds <see cref="IRafikiMessage"/> to <see cref="RafikiJsonSerializer"/>.</summary>
public static class RafikiSerialization
{
    /// <summary>Serializer configuration to add to every Rafiki actor system.</summary>
    public const string Hocon = """
        akka.actor {
          serializers.rafiki-json = "Rafiki.Core.RafikiJsonSerializer, Rafiki.Core"
          serialization-bindings."Rafiki.Core.IRafikiMessage, Rafiki.Core" = rafiki-json
          serialization-identifiers."Rafiki.Core.RafikiJsonSerializer, Rafiki.Core" = 4711
        }
        """;
}
