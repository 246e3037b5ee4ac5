namespace Rafiki.Inference;

/// <summary>
/// The running batch of a job: it collects each model's probabilities for the batch and averages them once every
/// model has answered. A job of one model is an ensemble of one.
/// </summary>
internal sealed class EnsembleBatch
{
    private readonly bool[] _answered;
    private float[]? _sum;

    /// <param name="batchId">The batch, as numbered by the scheduler.</param>
    /// <param name="models">Number of models that run the batch.</param>
    public EnsembleBatch(long batchId, int models)
    {
        BatchId = batchId;
        _answered = new bool[models];
        Pending = models;
    }

    public long BatchId { get; }

    /// <summary>Models that have not answered yet.</summary>
    public int Pending { get; private set; }

    /// <summary>
    /// Adds model <paramref name="index"/>'s probabilities and returns true once every model has answered. A second
    /// answer from the same model is ignored.
    /// </summary>
    /// <exception cref="ArgumentException">The probabilities have a different length than the other models'.</exception>
    public bool Add(int index, float[] probabilities)
    {
        if (index < 0 || index >= _answered.Length || _answered[index])
        {
            return Pending == 0;
        }

        if (_sum is null)
        {
            _sum = (float[])probabilities.Clone();
        }
        else if (_sum.Length != probabilities.Length)
        {
            throw new ArgumentException(
                $"model {index} returned {probabilities.Length} probabilities for batch {BatchId} but an earlier model "
                + $"returned {_sum.Length}; the models of an ensemble must predict the same classes.",
                nameof(probabilities));
        }
        else
        {
            for (var i = 0; i < _sum.Length; i++)
            {
                _sum[i] += probabilities[i];
            }
        }

        _answered[index] = true;
        Pending--;
        return Pending == 0;
    }

    /// <summary>Returns the mean probabilities over the models, count x classes, row-major.</summary>
    /// <exception cref="InvalidOperationException">A model has not answered yet.</exception>
    public float[] Average()
    {
        if (Pending > 0 || _sum is null)
        {
            throw new InvalidOperationException($"batch {BatchId} still waits for {Pending} model(s).");
        }

        if (_answered.Length > 1)
        {
            for (var i = 0; i < _sum.Length; i++)
            {
                _sum[i] /= _answered.Length;
            }
        }

        return _sum;
    }
}
