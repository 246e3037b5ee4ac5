namespace Rafiki.Hosting;

/// <summary>
/// Cluster settings every node starts with; an operator's HOCON file (see hocon/rafiki-node.hocon) overrides them.
/// </summary>
public static class ClusterDefaults
{
    /// <summary>
    /// Split-brain resolver with the keep-majority strategy: after a partition has been stable for 5 s, the side with
    /// more nodes downs the other (the side with the lowest address wins a tie), so a crashed worker is
    /// removed about 10 s after its last heartbeat. A downed node runs coordinated
    /// shutdown, which stops its trial actors, so their trials resume from checkpoints on the surviving workers.
    /// The failure detector declares a node unreachable after about 3 s without heartbeats.
    /// </summary>
    public const string Hocon = """
        akka.cluster {
          downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
          split-brain-resolver {
            active-strategy = keep-majority
            stable-after = 5s
            down-all-when-unstable = on
          }
          failure-detector {
            heartbeat-interval = 1s
            acceptable-heartbeat-pause = 3s
            threshold = 8.0
          }
          run-coordinated-shutdown-when-down = on
        }
        akka.coordinated-shutdown.exit-clr = off
        # Akka's own console logger runs before logging starts and after it stops; keep it to warnings.
        akka.stdout-loglevel = WARNING
        """;
}
