using System.CommandLine;
using System.Text.Json;
using Rafiki.Client.Contracts;
using Spectre.Console;

namespace Rafiki.Cli.Shell;

/// <summary><c>rafiki train-jobs create</c>: every field of the API's create request as an option.</summary>
public static class TrainJobCreateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Name shown in listings.", Required = true };
        var task = new Option<string>("--task")
        {
            Description = "Task to solve: image-classification, object-detection or text-classification.",
            DefaultValueFactory = _ => TaskNames.ImageClassification,
        };
        var train = new Option<string>("--train-dataset") { Description = "Id of the dataset to train on.", Required = true };
        var validation = new Option<string>("--validation-dataset")
        {
            Description = "Id of the dataset to score trials on.",
            Required = true,
        };
        var models = new Option<string[]>("--model")
        {
            Description = "Model family to tune; repeat for several. Default: every family for the task (see rafiki models).",
            AllowMultipleArgumentsPerToken = true,
        };
        var maxTrials = new Option<int>("--max-trials") { Description = "Trials to run.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per trial.", Required = true };
        var parallel = new Option<int?>("--parallel") { Description = "Trials that train at once (device slots); 1 when missing." };
        var queued = new Option<int?>("--queued-trials")
        {
            Description = "Trials started beyond --parallel that wait for a slot, so a freed slot starts its next trial at once; 0 when missing.",
        };
        var timeLimit = new Option<double?>("--time-limit")
        {
            Description = "Seconds after which no trial starts and running trials stop at their next epoch; no limit when missing.",
        };
        var advisor = new Option<string?>("--advisor")
        {
            Description = "Knob advisor: random, grid, gp or tpe; the node's default when missing.",
        };
        var earlyStopping = new Option<string?>("--early-stopping")
        {
            Description = "Early-stopping rule: none, median or asha; none when missing.",
        };
        var seed = new Option<int?>("--seed") { Description = "Seed for knob proposals and model initialisation; 0 when missing." };
        var costudy = new Option<string?>("--costudy")
        {
            Description = "CoStudy: new trials may warm-start from the best checkpoints of earlier trials of their family (on or off); on when missing.",
        };
        costudy.AcceptOnlyFromAmong("on", "off");
        var knobs = new Option<string?>("--knobs")
        {
            Description = "JSON object that narrows knob spaces per model family, such as '{\"small-cnn\": {\"optimizer\": [\"adam\"]}}'.",
        };
        var knobsFile = new Option<string?>("--knobs-file") { Description = "File with the --knobs JSON object." };
        var wait = new Option<bool>("--wait") { Description = "Follow the trials until the job ends, then show it." };
        var timeout = TrainJobCommands.TimeoutOption();

        var command = new Command("create", "Create a train job: a study that tunes model families on your datasets.")
        {
            name, task, train, validation, models, maxTrials, epochs, parallel, queued, timeLimit, advisor, earlyStopping, seed, costudy,
            knobs, knobsFile, wait, timeout,
        };
        var options = ShellOptions.AddTo(command);
        ShellAction.Set(command, options, async (session, parse, cancellationToken) =>
        {
            var waitTimeout = TrainJobCommands.ParseTimeout(parse.GetValue(timeout));
            var families = parse.GetValue(models);
            var request = new CreateTrainJobRequest(
                parse.GetValue(name),
                parse.GetValue(task),
                parse.GetValue(train),
                parse.GetValue(validation),
                families is { Length: > 0 } ? families : null,
                new TrainJobBudget(
                    parse.GetValue(maxTrials), parse.GetValue(epochs), parse.GetValue(parallel), parse.GetValue(timeLimit), parse.GetValue(queued)),
                parse.GetValue(advisor),
                parse.GetValue(earlyStopping),
                parse.GetValue(seed),
                parse.GetValue(costudy) is { } costudyValue ? costudyValue == "on" : null,
                ParseKnobs(parse.GetValue(knobs), parse.GetValue(knobsFile)));
            var job = await session.Client.CreateTrainJobAsync(request, cancellationToken);
            if (parse.GetValue(wait))
            {
                if (!session.Json)
                {
                    session.Out.WriteLine($"Created train job {job.Id}; following its trials.");
                }

                job = await TrainJobCommands.WaitAsync(session, job.Id, waitTimeout, cancellationToken);
            }

            TrainJobCommands.Write(session, job);
            return ShellExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses the knob-space narrowing from <c>--knobs</c> or <c>--knobs-file</c>: a JSON object by model family.</summary>
    /// <exception cref="ShellException">Both options are given, the file is missing, or the text is not a JSON object.</exception>
    public static IReadOnlyDictionary<string, JsonElement>? ParseKnobs(string? inline, string? path)
    {
        if (inline is not null && path is not null)
        {
            throw new ShellException("give either --knobs or --knobs-file, not both.");
        }

        if (path is not null && !File.Exists(path))
        {
            throw new ShellException($"--knobs-file '{path}' not found; check the path.");
        }

        var text = path is null ? inline : File.ReadAllText(path);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(text)
                   ?? throw new ShellException("the knobs JSON is null; give an object by model family.");
        }
        catch (JsonException e)
        {
            throw new ShellException($"the knobs JSON is not an object by model family ({e.Message}).");
        }
    }
}
