using Rafiki.Inference;

namespace Rafiki.Bench.Inference;

/// <summary>What happened to each request of one run, indexed by the request's position in the arrival order.</summary>
internal sealed class RequestLog
{
    public RequestLog(int count)
    {
        SentMs = new double[count];
        AnsweredMs = new double[count];
        Status = new PredictionStatus[count];
        Late = new bool[count];
        Labels = new int[count];
    }

    public int Count => SentMs.Length;

    /// <summary>Time the load generator sent each request, on the run's clock.</summary>
    public double[] SentMs { get; }

    /// <summary>Time the reply to each request arrived, on the run's clock.</summary>
    public double[] AnsweredMs { get; }

    public PredictionStatus[] Status { get; }

    /// <summary>True for predictions the router marked late: answered after tau, measured at the router.</summary>
    public bool[] Late { get; }

    /// <summary>Predicted label, or -1 without a prediction.</summary>
    public int[] Labels { get; }
}
