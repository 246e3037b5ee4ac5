using Akka.Cluster.Sharding;
using Rafiki.Training;

namespace Rafiki.Hosting;

/// <summary>Routes <see cref="IWithStudyId"/> messages to study-master entities.</summary>
public sealed class StudyMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        IWithStudyId study => study.StudyId,
        _ => null,
    };
}

/// <summary>
/// Routes <see cref="IWithTrialId"/> messages to trial entities, one shard per trial, so the allocation strategy
/// places every trial on its own merits (the node with free device slots).
/// </summary>
public sealed class TrialMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => (message as IWithTrialId)?.TrialId;

    public object EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
