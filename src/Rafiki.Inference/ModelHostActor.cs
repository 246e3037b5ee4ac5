using Akka.Actor;
using Rafiki.Storage.Checkpoints;

namespace Rafiki.Inference;

/// <summary>
/// Hosts model actors as its children in a process without a cluster, such as a test: it routes
/// <see cref="IWithModelEntityId"/> messages the way the cluster's "model" shard region does, starting the model
/// actor on its first message.
/// </summary>
public sealed class ModelHostActor : ReceiveActor
{
    public ModelHostActor(IParameterStore checkpoints)
    {
        Receive<IWithModelEntityId>(message =>
        {
            var name = Uri.EscapeDataString(message.ModelEntityId);
            var model = Context.Child(name);
            if (model.IsNobody())
            {
                if (message is ModelProtocol.StopModel)
                {
                    return;
                }

                model = Context.ActorOf(ModelActor.Props(message.ModelEntityId, checkpoints), name);
            }

            model.Forward(message);
        });
    }

    /// <summary>Props for a host whose models load checkpoints from <paramref name="checkpoints"/>.</summary>
    public static Props Props(IParameterStore checkpoints) => Akka.Actor.Props.Create(() => new ModelHostActor(checkpoints));
}
