using System.Globalization;
using System.Text;
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

    /// <summary>Writes one line per request: position, send time, reply time (ms on the run's clock), status, late.</summary>
    public async Task WriteCsvAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var text = new StringBuilder("request,sent_ms,answered_ms,status,late\n");
        for (var i = 0; i < Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},{SentMs[i]:0.000},{AnsweredMs[i]:0.000},{Status[i]},{(Late[i] ? 1 : 0)}\n");
        }

        await File.WriteAllTextAsync(path, text.ToString());
    }
}
