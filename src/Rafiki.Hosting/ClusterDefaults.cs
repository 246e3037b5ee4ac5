namespace Rafiki.Hosting;

/// <summary>
/// Cluster settings every node starts with; an operator's HOCON file (see hocon/rafiki-node.hocon) overrides them.
/// </summary>
public static class ClusterDefaults
{
    /// <summary>
    /// Split-brain resolver with the keep-majority strategy: after a partition has been stable for 5 s, the side with
    /// more nodes downs the other (the side with the lowest address wins a tie). The failure detector declares a
    /// node unreachable about 4 to 5 s after it stops answering heartbeats, so a crashed worker is downed about
    /// 10 s and removed about 12 s after it dies (measured in docs/benchmarks.md). A downed node runs coordinated
    /// shutdown, which stops its trial actors, so their trials resume from checkpoints on the surviving workers.
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
          # Shard coordinators and singletons of a crashed node start elsewhere this long after its removal. The
          # resolver's default is stable-after (5 s); a downed node shuts its trials down within about a second of
          # the decision, and the study master records each epoch of a trial once, whichever copy reports it first.
          down-removal-margin = 1s
          # A region re-registers with a shard coordinator that moved off a crashed node, and retries its shard
          # location requests, at this interval; the default of 2 s delays the trials that resume elsewhere.
          sharding.retry-interval = 500ms
        }
        # The status of a study with thousands of trials is larger than remoting's default frame of 128,000 bytes,
        # and an oversized message is dropped, so its Ask would time out.
        akka.remote.dot-netty.tcp.maximum-frame-size = 16777216b
        akka.coordinated-shutdown.exit-clr = off
        # Akka's own console logger runs before logging starts and after it stops; keep it to warnings.
        akka.stdout-loglevel = WARNING
        """;
}
