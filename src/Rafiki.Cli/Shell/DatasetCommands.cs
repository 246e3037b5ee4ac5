using System.CommandLine;
using Rafiki.Client.Contracts;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki datasets list|upload|delete</c>.</summary>
public static class DatasetCommands
{
    /// <summary>Builds <c>rafiki datasets</c> with its subcommands.</summary>
    public static Command Create() => new("datasets", "List, upload and delete datasets.")
    {
        List(), Upload(), Delete(),
    };

    /// <summary>Returns the table of datasets.</summary>
    public static Table Render(IEnumerable<DatasetView> datasets)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("Dataset", "Name", "Task", "Format", "Examples", "Size", "Classes", "Created (UTC)");
        foreach (var dataset in datasets)
        {
            var size = dataset.Channels == 0 ? "-" : $"{dataset.Channels}x{dataset.Height}x{dataset.Width}";
            table.AddRow(
                Markup.Escape(dataset.Id), Markup.Escape(dataset.Name), Markup.Escape(dataset.Task), Markup.Escape(dataset.Format),
                $"{dataset.Count}", size, $"{dataset.ClassNames.Count}", $"{dataset.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}");
        }

        return table;
    }

    private static Command List()
    {
        var command = new Command("list", "List your datasets (every dataset for an admin).");
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, _, cancellationToken) =>
        {
            var datasets = await session.Client.ListDatasetsAsync(cancellationToken);
            if (session.Json)
            {
                session.WriteJson(datasets);
            }
            else
            {
                session.Out.Write(Render(datasets));
            }

            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command Upload()
    {
        var name = new Argument<string>("NAME") { Description = "Name of the dataset." };
        var files = new Argument<string[]>("FILE")
        {
            Description = "For idx: the images file, then the labels file (plain or gzipped). For the other formats: one file.",
            Arity = new ArgumentArity(1, 2),
        };
        var format = new Option<string?>("--format")
        {
            Description = $"Upload format: {string.Join(", ", DatasetFormats.All)}; by default two files mean idx, and one file " +
                          "is named by its extension (.zip, .csv, .jsonl).",
        };
        format.AcceptOnlyFromAmong([.. DatasetFormats.All]);
        var command = new Command("upload", "Upload a dataset: an IDX images and labels pair, an image-folder zip, or texts with labels.")
        {
            name, files, format,
        };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var paths = parse.GetValue(files)!;
            var chosen = parse.GetValue(format) ?? InferFormat(paths);
            var expectedFiles = chosen == DatasetFormats.Idx ? 2 : 1;
            if (paths.Length != expectedFiles)
            {
                throw new ShellException(
                    $"format {chosen} takes {expectedFiles} file(s) but {paths.Length} were given; " +
                    (chosen == DatasetFormats.Idx ? "pass the images file, then the labels file." : "pass one file."));
            }

            if (paths.FirstOrDefault(path => !File.Exists(path)) is { } missing)
            {
                throw new ShellException($"file '{missing}' not found; check the path.");
            }

            var dataset = await UploadAsync(session, parse.GetValue(name)!, chosen, paths, cancellationToken);
            if (session.Json)
            {
                session.WriteJson(dataset);
            }
            else
            {
                session.Out.Write(Render([dataset]));
            }

            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static Command Delete()
    {
        var id = new Argument<string>("DATASET") { Description = "Dataset id." };
        var command = new Command("delete", "Delete a dataset that no train job uses.") { id };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var datasetId = parse.GetValue(id)!;
            await session.Client.DeleteDatasetAsync(datasetId, cancellationToken);
            session.Out.WriteLine($"Deleted dataset {datasetId}.");
            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static string InferFormat(string[] paths)
    {
        if (paths.Length == 2)
        {
            return DatasetFormats.Idx;
        }

        return Path.GetExtension(paths[0]).ToLowerInvariant() switch
        {
            ".zip" => DatasetFormats.ImageZip,
            ".csv" => DatasetFormats.Csv,
            ".jsonl" => DatasetFormats.Jsonl,
            _ => throw new ShellException(
                $"cannot tell the format of '{paths[0]}' from its extension; pass --format {string.Join("|", DatasetFormats.All)}."),
        };
    }

    private static async Task<DatasetView> UploadAsync(
        ShellSession session, string name, string format, string[] paths, CancellationToken cancellationToken)
    {
        await using var first = File.OpenRead(paths[0]);
        switch (format)
        {
            case DatasetFormats.Idx:
                await using (var labels = File.OpenRead(paths[1]))
                {
                    return await session.Client.UploadIdxDatasetAsync(name, first, labels, cancellationToken);
                }

            case DatasetFormats.ImageZip:
                return await session.Client.UploadImageZipDatasetAsync(name, first, cancellationToken);
            default:
                return await session.Client.UploadTextDatasetAsync(name, format, first, cancellationToken);
        }
    }
}
