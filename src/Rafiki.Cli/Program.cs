using System.CommandLine;
using Rafiki.Cli.Quickstart;
using Rafiki.Cli.Shell;
using Spectre.Console;

if (!AnsiConsole.Profile.Capabilities.Interactive)
{
    // Redirected output (logs, CI) has no terminal width; keep each line whole instead of wrapping at 80.
    AnsiConsole.Profile.Width = 240;
}

var root = new RootCommand("rafiki: machine learning as a service, on Akka.NET.")
{
    QuickstartCommand.Create(),
    LoginCommands.Login(),
    LoginCommands.Logout(),
    ClusterCommands.Create(),
    ModelsCommand.Create(),
    DatasetCommands.Create(),
    TrainJobCommands.Create(),
    TrialsCommand.Create(),
    InferenceJobCommands.Create(),
    PredictCommand.Create(),
    UserCommands.Create(),
};
return await root.Parse(args).InvokeAsync();
