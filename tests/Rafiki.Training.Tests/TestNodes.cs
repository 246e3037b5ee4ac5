using Akka.Actor;
using Microsoft.Extensions.Logging;
using Rafiki.Core;
using Rafiki.Hosting;
using Rafiki.Storage.Datasets;
using Rafiki.Training.Studies;

namespace Rafiki.Testing;

/// <summary>Starts embedded nodes on temporary folders and prepares the Fashion-MNIST subset for them.</summary>
public static class TestNodes
{
    /// <summary>Starts an all-roles node on a loopback port with SQLite in <paramref name="dataDirectory"/>.</summary>
    public static Task<RafikiNode> StartAsync(string dataDirectory) =>
        RafikiNode.StartAsync(
            new RafikiNodeOptions { DataDirectory = dataDirectory, ProgressInterval = TimeSpan.FromMilliseconds(100) },
            logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());

    /// <summary>Imports the subset as train (first 1,000 images) and validation (last 200) datasets.</summary>
    public static (DatasetInfo Train, DatasetInfo Validation) ImportFashionSubset(DatasetStore store)
    {
        var all = IdxFormat.Read(
            Fixtures.PathOf("fashion-mnist/train-images-idx3-ubyte.gz"), Fixtures.PathOf("fashion-mnist/train-labels-idx1-ubyte.gz"));
        return (store.Add("subset-train", "idx", all.Slice(0, 1000)), store.Add("subset-validation", "idx", all.Slice(1000, 200)));
    }

    /// <summary>A study spec over both image families on the subset.</summary>
    public static StudySpec Spec(DatasetInfo train, DatasetInfo validation, int trials, int epochs, int slots = 1) => new(
        "test",
        TaskType.ImageClassification,
        train.Id,
        validation.Id,
        ["small-cnn", "resnet"],
        new StudyBudget(trials, epochs, slots),
        Seed: 1);

    /// <summary>Polls a study until it is no longer running, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<StudyStatus> WaitForEndAsync(RafikiNode node, string studyId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await node.Studies.Ask<StudyStatus>(new StudyProtocol.GetStudy(studyId), TimeSpan.FromSeconds(10));
            if (status.State != StudyState.Running)
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"study {studyId} still running after {timeout}: {string.Join(", ", status.Trials.Select(t => $"{t.Id}={t.State}/{t.Epochs}"))}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Submits a study through the registry and returns its id once accepted.</summary>
    public static async Task<string> SubmitAsync(RafikiNode node, StudySpec spec, string? studyId = null)
    {
        studyId ??= Ids.New("study");
        var answer = await node.StudyRegistry.Ask<object>(new StudyRegistryProtocol.SubmitStudy(studyId, spec), TimeSpan.FromSeconds(30));
        return answer is StudyProtocol.StudyAccepted ? studyId : throw new InvalidOperationException($"study rejected: {answer}");
    }
}
