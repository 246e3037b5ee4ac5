using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using static Rafiki.Inference.InferenceProtocol;

namespace Rafiki.Bench.Inference;

/// <summary>
/// Receives every reply of one run, records it in the request log and completes the completion source once
/// each request has its reply. Request ids are the requests' positions in the arrival order.
/// </summary>
internal sealed class ReplyCollector : ReceiveActor
{
    public ReplyCollector(RequestLog log, long clockStart, TaskCompletionSource completion)
    {
        var replies = 0;
        Receive<PredictionResult>(result =>
        {
            var index = int.Parse(result.RequestId, CultureInfo.InvariantCulture);
            log.AnsweredMs[index] = Stopwatch.GetElapsedTime(clockStart).TotalMilliseconds;
            log.Status[index] = result.Status;
            log.Late[index] = result.Late;
            log.Labels[index] = result.Label;
            if (++replies == log.Count)
            {
                completion.TrySetResult();
            }
        });
    }

    public static Props Props(RequestLog log, long clockStart, TaskCompletionSource completion) =>
        Akka.Actor.Props.Create(() => new ReplyCollector(log, clockStart, completion));
}
