using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Rafiki.Client;
using Rafiki.Client.Contracts;
using Rafiki.Storage.Datasets;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary>
/// <c>rafiki predict JOB</c>: classifies image files (PNG, JPEG, BMP, GIF or raw channel-first pixels of the job's
/// size), or a range of images of an IDX file, with the predict endpoint of an inference job.
/// </summary>
public static class PredictCommand
{
    /// <summary>One prediction as the command prints it.</summary>
    /// <param name="Input">File name, or <c>FILE[index]</c> for an image of an IDX file.</param>
    /// <param name="Label">Index of the most probable class.</param>
    /// <param name="ClassName">Name of the most probable class.</param>
    /// <param name="Probabilities">Probability of each class, in class order.</param>
    /// <param name="Expected">Label from the IDX labels file; null without one.</param>
    public sealed record PredictionLine(string Input, int Label, string ClassName, IReadOnlyList<float> Probabilities, int? Expected);

    private sealed record Query(string Input, byte[] Image, int? Expected);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Argument<string>("INFERENCE_JOB") { Description = "Inference job id." };
        var files = new Argument<string[]>("IMAGE")
        {
            Description = "Image files: PNG, JPEG, BMP or GIF of the job's size, or its raw pixels (channel-first bytes).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var idx = new Option<string?>("--idx") { Description = "IDX images file (idx3-ubyte, plain or gzipped) to take images from instead." };
        var start = new Option<int>("--start") { Description = "Index of the first IDX image, from 0.", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--count") { Description = "Number of IDX images.", DefaultValueFactory = _ => 1 };
        var labels = new Option<string?>("--labels")
        {
            Description = "IDX labels file of --idx; adds the expected label to each line and prints the accuracy.",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Images per predict request; the api node rejects requests above its limit (256 unless configured).",
            DefaultValueFactory = _ => 64,
        };
        var command = new Command("predict", "Classify images with an inference job.") { job, files, idx, start, count, labels, batchSize };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var queries = ReadQueries(
                parse.GetValue(files) ?? [], parse.GetValue(idx), parse.GetValue(start), parse.GetValue(count), parse.GetValue(labels));
            var size = parse.GetValue(batchSize);
            if (size < 1)
            {
                throw new ShellException($"--batch-size {size} is invalid; use 1 or more.");
            }

            var lines = new List<PredictionLine>(queries.Count);
            foreach (var batch in queries.Chunk(size))
            {
                var response = await PredictAsync(session, parse.GetValue(job)!, batch, cancellationToken);
                var predictions = response.Predictions ?? throw new ShellException("the predict response contains no predictions.");
                lines.AddRange(batch.Zip(predictions, (query, prediction) =>
                    new PredictionLine(query.Input, prediction.Label, prediction.ClassName, prediction.Probabilities, query.Expected)));
            }

            Write(session, lines);
            return ShellExitCodes.Ok;
        });
        return command;
    }

    private static async Task<PredictResponse> PredictAsync(
        ShellSession session, string jobId, Query[] batch, CancellationToken cancellationToken)
    {
        var images = batch.Select(query => JsonSerializer.SerializeToElement(Convert.ToBase64String(query.Image))).ToList();
        try
        {
            return await session.Client.PredictAsync(jobId, new PredictRequest(Queries: images), cancellationToken);
        }
        catch (RafikiApiException e)
            when (e.Status == HttpStatusCode.BadRequest && e.Problem is { Errors: { Count: > 0 } errors } problem)
        {
            // The API names an invalid image by its place in the request, such as queries[3], so name the input instead.
            var named = errors.Select(pair => $"{InputOf(pair.Key, batch)}: {string.Join(" ", pair.Value)}");
            throw new ShellException($"{problem.Title ?? "Invalid request"} (400): {string.Join(" ", named)}");
        }
    }

    private static string InputOf(string field, Query[] batch)
    {
        const string Prefix = "queries[";
        if (field.StartsWith(Prefix, StringComparison.Ordinal) && field.EndsWith(']')
            && int.TryParse(field.AsSpan(Prefix.Length, field.Length - Prefix.Length - 1), CultureInfo.InvariantCulture, out var index)
            && index >= 0 && index < batch.Length)
        {
            return batch[index].Input;
        }

        return field;
    }

    private static void Write(ShellSession session, List<PredictionLine> lines)
    {
        if (session.Json)
        {
            session.WriteJson(lines);
            return;
        }

        var withExpected = lines.Any(line => line.Expected is not null);
        var table = new Table().Border(TableBorder.Simple).AddColumns("Input", "Label", "Class", "Probability");
        if (withExpected)
        {
            table.AddColumn("Expected");
        }

        foreach (var line in lines)
        {
            var probability = line.Probabilities[line.Label].ToString("F4", CultureInfo.InvariantCulture);
            var cells = new List<string> { Markup.Escape(line.Input), $"{line.Label}", Markup.Escape(line.ClassName), probability };
            if (withExpected)
            {
                cells.Add(line.Expected == line.Label ? $"{line.Expected}" : $"[red]{line.Expected}[/]");
            }

            table.AddRow(cells.ToArray());
        }

        session.Out.Write(table);
        if (withExpected)
        {
            var correct = lines.Count(line => line.Expected == line.Label);
            var accuracy = (double)correct / lines.Count;
            session.Out.WriteLine(
                $"Accuracy {accuracy.ToString("F4", CultureInfo.InvariantCulture)} on {lines.Count} images ({correct} correct).");
        }
    }

    private static List<Query> ReadQueries(string[] files, string? idx, int start, int count, string? labels)
    {
        if ((files.Length > 0) == (idx is not null))
        {
            throw new ShellException("give either image files or --idx FILE, not both and not neither.");
        }

        if (labels is not null && idx is null)
        {
            throw new ShellException("--labels needs --idx; it contains the labels of the IDX images.");
        }

        if (idx is null)
        {
            return [.. files.Select(ReadFile)];
        }

        try
        {
            return ReadIdx(idx, start, count, labels);
        }
        catch (DatasetFormatException e)
        {
            throw new ShellException(e.Message);
        }
    }

    private static Query ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ShellException($"image file '{path}' not found; check the path.");
        }

        return new Query(Path.GetFileName(path), File.ReadAllBytes(path), null);
    }

    private static List<Query> ReadIdx(string path, int start, int count, string? labelsPath)
    {
        var (total, height, width, pixels) = IdxFormat.ReadImages(path);
        if (start < 0 || count < 1 || start + count > total)
        {
            throw new ShellException(
                $"--start {start} --count {count} is outside {Path.GetFileName(path)}, which contains {total} images; " +
                $"use a start from 0 and a count of 1 or more that end at {total} at the latest.");
        }

        int[]? expected = null;
        if (labelsPath is not null)
        {
            var dataset = IdxFormat.Read(path, labelsPath);
            expected = dataset.Labels;
        }

        var imageSize = height * width;
        var name = Path.GetFileName(path);
        return [.. Enumerable.Range(start, count).Select(index => new Query(
            $"{name}[{index}]", pixels.AsSpan(index * imageSize, imageSize).ToArray(), expected?[index]))];
    }
}
