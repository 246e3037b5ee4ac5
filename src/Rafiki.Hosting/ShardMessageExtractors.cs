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

/// <summary>Routes <see cref="IWithTrialId"/> messages to trial entities.</summary>
public sealed class TrialMessageExtractor(int shards) : HashCodeMessageExtractor(shards)
{
    public override string? EntityId(object message) => message switch
    {
        IWithTrialId trial => trial.TrialId,
        _ => null,
    };
}
