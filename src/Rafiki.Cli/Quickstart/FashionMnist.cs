using Rafiki.Storage.Datasets;

namespace Rafiki.Cli.Quickstart;

/// <summary>The three Fashion-MNIST datasets the quickstart uses.</summary>
public sealed record FashionMnistDatasets(DatasetInfo Train, DatasetInfo Validation, DatasetInfo Test);

/// <summary>Imports Fashion-MNIST from its IDX files into the dataset store once, and reuses it afterwards.</summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Class names in label order, from the dataset's documentation.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private const string TrainImages = "train-images-idx3-ubyte.gz";
    private const string TrainLabels = "train-labels-idx1-ubyte.gz";
    private const string TestImages = "t10k-images-idx3-ubyte.gz";
    private const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    /// <summary>
    /// Returns the stored train, validation and test datasets, importing them first if the store lacks them. The
    /// last sixth of the training file (10,000 of 60,000 images) becomes the validation set.
    /// </summary>
    /// <exception cref="QuickstartException">The files are missing; the message says how to install them.</exception>
    public static FashionMnistDatasets ImportOrReuse(DatasetStore store, string directory, Action<string> report)
    {
        var missing = new[] { TrainImages, TrainLabels, TestImages, TestLabels }
            .Where(file => !File.Exists(Path.Combine(directory, file)))
            .ToList();
        if (missing.Count > 0)
        {
            throw new QuickstartException(
                $"Fashion-MNIST not found in {directory}: missing {string.Join(", ", missing)}. " +
                "Install it with 'sudo apt-get install dataset-fashion-mnist', or pass --fashion-mnist DIR with the four .gz IDX files.");
        }

        var stored = store.List();
        var existing = FindImported(stored, directory);
        if (existing is not null)
        {
            report($"Reusing Fashion-MNIST from the dataset store: {existing.Train.Id} ({existing.Train.Count} train), " +
                   $"{existing.Validation.Id} ({existing.Validation.Count} validation), {existing.Test.Id} ({existing.Test.Count} test).");
            return existing;
        }

        report($"Importing Fashion-MNIST from {directory} into the dataset store...");
        var train = IdxFormat.Read(Path.Combine(directory, TrainImages), Path.Combine(directory, TrainLabels), ClassNames);
        var test = IdxFormat.Read(Path.Combine(directory, TestImages), Path.Combine(directory, TestLabels), ClassNames);
        var validationCount = train.Count / 6;
        var source = SourceTag(directory);
        var imported = new FashionMnistDatasets(
            store.Add($"fashion-mnist-train{source}", "idx", train.Slice(0, train.Count - validationCount)),
            store.Add($"fashion-mnist-validation{source}", "idx", train.Slice(train.Count - validationCount, validationCount)),
            store.Add($"fashion-mnist-test{source}", "idx", test));
        report($"Imported {imported.Train.Count} train, {imported.Validation.Count} validation and {imported.Test.Count} test images.");
        return imported;
    }

    private static FashionMnistDatasets? FindImported(IReadOnlyList<DatasetInfo> stored, string directory)
    {
        var source = SourceTag(directory);
        DatasetInfo? Find(string split) => stored.LastOrDefault(info => info.Name == $"fashion-mnist-{split}{source}");
        var (train, validation, test) = (Find("train"), Find("validation"), Find("test"));
        return train is null || validation is null || test is null ? null : new FashionMnistDatasets(train, validation, test);
    }

    // The package's copy keeps the plain names; any other folder (a subset, a download) gets its own names.
    private static string SourceTag(string directory) =>
        Path.GetFullPath(directory).TrimEnd('/') == DefaultDirectory
            ? ""
            : $"@{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(directory))))[..8].ToLowerInvariant()}";
}
