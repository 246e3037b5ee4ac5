using Akka.Cluster.Sharding;
using Rafiki.Inference;

namespace Rafiki.Hosting;

/// <summary>Routes <see cref="IWithModelEntityId"/> messages to model entities on worker nodes.</summary>
public sealed class ModelMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        IWithModelEntityId model => model.ModelEntityId,
        _ => null,
    };
}
