using System.Collections.Concurrent;
using System.Text.Json;
using Rafiki.Client.Contracts;
using Rafiki.Core;

namespace Rafiki.Api.Data;

/// <summary>A train job as the API records it: the study id is the job id.</summary>
public sealed record TrainJobRecord(string Id, string OwnerId, string Name, bool Costudy, DateTimeOffset CreatedAt);

/// <summary>What an inference job serves: trials, settings and the input shape and classes of its dataset.</summary>
public sealed record InferenceJobDescription(
    IReadOnlyList<string> TrialIds, InferenceJobSettingsView Settings, int Channels, int Height, int Width, IReadOnlyList<string> ClassNames)
{
    /// <summary>Bytes of one input image.</summary>
    public int ImageSize => Channels * Height * Width;
}

/// <summary>An inference job as the API records it.</summary>
public sealed record InferenceJobRecord(
    string Id, string OwnerId, string TrainJobId, InferenceJobDescription Description, DateTimeOffset CreatedAt, DateTimeOffset? StoppedAt);

/// <summary>
/// Owners and descriptions of train and inference jobs in the API database. Inference-job records are cached in
/// memory, because every prediction request looks its job up.
/// </summary>
public sealed class JobStore(ApiDatabase database)
{
    private readonly ConcurrentDictionary<string, InferenceJobRecord> _inferenceJobs = new(StringComparer.Ordinal);

    /// <summary>Records a submitted train job.</summary>
    public void AddTrainJob(TrainJobRecord job) =>
        database.Execute(
            "INSERT INTO train_jobs (id, owner_id, name, costudy, created_at) VALUES ($id, $owner, $name, $costudy, $created)",
            ("$id", job.Id), ("$owner", job.OwnerId), ("$name", job.Name), ("$costudy", job.Costudy ? 1 : 0),
            ("$created", job.CreatedAt.ToUnixTimeMilliseconds()));

    /// <summary>Removes a train job whose study was rejected.</summary>
    public void RemoveTrainJob(string id) => database.Execute("DELETE FROM train_jobs WHERE id = $id", ("$id", id));

    /// <summary>Returns a train job, or null.</summary>
    public TrainJobRecord? FindTrainJob(string id) =>
        database.Query($"{TrainJobSelect} WHERE id = $id", ReadTrainJob, ("$id", id)).FirstOrDefault();

    /// <summary>Returns the train jobs of one owner, or of every owner when <paramref name="ownerId"/> is null, oldest first.</summary>
    public List<TrainJobRecord> ListTrainJobs(string? ownerId) => ownerId is null
        ? database.Query($"{TrainJobSelect} ORDER BY created_at", ReadTrainJob)
        : database.Query($"{TrainJobSelect} WHERE owner_id = $owner ORDER BY created_at", ReadTrainJob, ("$owner", ownerId));

    /// <summary>Records a deployed inference job.</summary>
    public void AddInferenceJob(InferenceJobRecord job)
    {
        database.Execute(
            "INSERT INTO inference_jobs (id, owner_id, train_job_id, description, created_at) VALUES ($id, $owner, $train, $description, $created)",
            ("$id", job.Id), ("$owner", job.OwnerId), ("$train", job.TrainJobId),
            ("$description", JsonSerializer.Serialize(job.Description, RafikiJson.Options)), ("$created", job.CreatedAt.ToUnixTimeMilliseconds()));
        _inferenceJobs[job.Id] = job;
    }

    /// <summary>Returns an inference job, or null.</summary>
    public InferenceJobRecord? FindInferenceJob(string id)
    {
        if (_inferenceJobs.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var job = database.Query($"{InferenceJobSelect} WHERE id = $id", ReadInferenceJob, ("$id", id)).FirstOrDefault();
        return job is null ? null : _inferenceJobs.GetOrAdd(id, job);
    }

    /// <summary>Returns the inference jobs of one owner, or of every owner when <paramref name="ownerId"/> is null, oldest first.</summary>
    public List<InferenceJobRecord> ListInferenceJobs(string? ownerId) => ownerId is null
        ? database.Query($"{InferenceJobSelect} ORDER BY created_at", ReadInferenceJob)
        : database.Query($"{InferenceJobSelect} WHERE owner_id = $owner ORDER BY created_at", ReadInferenceJob, ("$owner", ownerId));

    /// <summary>Records that an inference job stopped; returns the updated record.</summary>
    public InferenceJobRecord MarkStopped(InferenceJobRecord job, DateTimeOffset at)
    {
        database.Execute(
            "UPDATE inference_jobs SET stopped_at = COALESCE(stopped_at, $at) WHERE id = $id",
            ("$at", at.ToUnixTimeMilliseconds()), ("$id", job.Id));
        var stopped = job with { StoppedAt = job.StoppedAt ?? at };
        _inferenceJobs[job.Id] = stopped;
        return stopped;
    }

    private const string TrainJobSelect = "SELECT id, owner_id, name, costudy, created_at FROM train_jobs";

    private const string InferenceJobSelect =
        "SELECT id, owner_id, train_job_id, description, created_at, stopped_at FROM inference_jobs";

    private static TrainJobRecord ReadTrainJob(Microsoft.Data.Sqlite.SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3) != 0,
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));

    private static InferenceJobRecord ReadInferenceJob(Microsoft.Data.Sqlite.SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2),
        JsonSerializer.Deserialize<InferenceJobDescription>(reader.GetString(3), RafikiJson.Options)!,
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), ApiDatabase.TimeOrNull(reader, 5));
}
