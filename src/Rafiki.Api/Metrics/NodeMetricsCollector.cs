using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rafiki.Api.Data;
using Rafiki.Api.Endpoints;
using Rafiki.Api.Node;
using Rafiki.Api.Problems;
using Rafiki.Training.Studies;

namespace Rafiki.Api.Metrics;

/// <summary>
/// Refreshes the study, trial and inference collectors of <see cref="ApiMetrics"/> from the actors before each
/// scrape. Trial counts of ended studies cannot change, so they are requested once and cached.
/// </summary>
public sealed class NodeMetricsCollector
{
    private readonly ApiMetrics _metrics;
    private readonly NodeGateway _gateway;
    private readonly JobStore _jobs;
    private readonly ILogger<NodeMetricsCollector> _logger;
    private readonly ConcurrentDictionary<string, Dictionary<string, int>> _endedTrialCounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedJobs = new(StringComparer.Ordinal);
    private readonly Lock _jobsLock = new();

    public NodeMetricsCollector(ApiMetrics metrics, NodeGateway gateway, JobStore jobs, ILogger<NodeMetricsCollector> logger)
    {
        _metrics = metrics;
        _gateway = gateway;
        _jobs = jobs;
        _logger = logger;
        metrics.Registry.AddBeforeCollectCallback(RefreshAsync);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshStudiesAsync(cancellationToken);
            await RefreshInferenceJobsAsync(cancellationToken);
        }
        catch (ApiProblemException e)
        {
            // A slow actor leaves the previous values in place; the scrape itself still succeeds.
            _logger.LogWarning("Metrics refresh incomplete: {Reason}", e.Message);
        }
    }

    private async Task RefreshStudiesAsync(CancellationToken cancellationToken)
    {
        var studies = await _gateway.ListStudiesAsync(cancellationToken);
        foreach (var state in Enum.GetValues<StudyState>())
        {
            _metrics.Studies.WithLabels(ApiNames.Of(state)).Set(studies.Count(entry => entry.State == state));
        }

        var trialCounts = Enum.GetValues<TrialState>().ToDictionary(state => ApiNames.Of(state), _ => 0);
        foreach (var entry in studies)
        {
            if (!_endedTrialCounts.TryGetValue(entry.StudyId, out var counts))
            {
                var status = await _gateway.GetStudyAsync(entry.StudyId, cancellationToken);
                if (status is null)
                {
                    continue;
                }

                counts = status.Trials.GroupBy(trial => ApiNames.Of(trial.State)).ToDictionary(group => group.Key, group => group.Count());
                if (status.State != StudyState.Running)
                {
                    _endedTrialCounts[entry.StudyId] = counts;
                }
            }

            foreach (var (state, count) in counts)
            {
                trialCounts[state] += count;
            }
        }

        foreach (var (state, count) in trialCounts)
        {
            _metrics.Trials.WithLabels(state).Set(count);
        }
    }

    private async Task RefreshInferenceJobsAsync(CancellationToken cancellationToken)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in _jobs.ListInferenceJobs(null).Where(job => job.StoppedAt is null))
        {
            if (await _gateway.GetInferenceJobAsync(job.Id, cancellationToken) is not { } status)
            {
                continue;
            }

            live.Add(job.Id);
            _metrics.InferenceQueueLength.WithLabels(job.Id).Set(status.QueueLength);
            _metrics.InferenceAnswered.WithLabels(job.Id).IncTo(status.Answered);
            _metrics.InferenceRejected.WithLabels(job.Id).IncTo(status.Rejected);
            _metrics.InferenceFailed.WithLabels(job.Id).IncTo(status.Failed);
            _metrics.InferenceOverdue.WithLabels(job.Id, ApiMetrics.OverdueServedLate).IncTo(status.ServedLate);
            _metrics.InferenceOverdue.WithLabels(job.Id, ApiMetrics.OverdueRejected).IncTo(status.Overdue);
            foreach (var (size, count) in status.BatchSizeCounts)
            {
                _metrics.InferenceBatches.WithLabels(job.Id, size.ToString(System.Globalization.CultureInfo.InvariantCulture)).IncTo(count);
            }
        }

        lock (_jobsLock)
        {
            foreach (var gone in _reportedJobs.Except(live).ToList())
            {
                _metrics.InferenceQueueLength.RemoveLabelled(gone);
                _metrics.InferenceAnswered.RemoveLabelled(gone);
                _metrics.InferenceRejected.RemoveLabelled(gone);
                _metrics.InferenceFailed.RemoveLabelled(gone);
                _metrics.InferenceOverdue.RemoveLabelled(gone, ApiMetrics.OverdueServedLate);
                _metrics.InferenceOverdue.RemoveLabelled(gone, ApiMetrics.OverdueRejected);
                foreach (var labels in _metrics.InferenceBatches.GetAllLabelValues().Where(labels => labels[0] == gone).ToList())
                {
                    _metrics.InferenceBatches.RemoveLabelled(labels);
                }

                _reportedJobs.Remove(gone);
            }

            _reportedJobs.UnionWith(live);
        }
    }
}
