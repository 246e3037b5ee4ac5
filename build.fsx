// Build script: restore, build, test, bench and quickstart targets.
// Run with: dotnet fsi build.fsx -t TARGET   (targets: Build, Test, Quickstart; default Build)
#r "nuget: Fake.Core.Target, 5.20.3"
#r "nuget: Fake.DotNet.Cli, 5.20.3"
#r "nuget: Fake.IO.FileSystem, 5.20.3"

open System
open System.IO
open Fake.Core
open Fake.DotNet
open Fake.IO

// FAKE 5 targets need an execution context when the script runs under plain `dotnet fsi`.
let arguments = fsi.CommandLineArgs |> Array.skip 1 |> List.ofArray
Context.setExecutionContext (Context.RuntimeContext.Fake(Context.FakeExecutionContext.Create false "build.fsx" arguments))

let root = __SOURCE_DIRECTORY__
let solution = Path.Combine(root, "Rafiki.sln")

// FAKE 5 cannot read the binary logs of current MSBuild versions, so it must not ask for one.
let noBinLog (parameters: MSBuild.CliArguments) = { parameters with DisableInternalBinLog = true }

let run (program: string) (args: string list) =
    let result =
        CreateProcess.fromRawCommand program args
        |> CreateProcess.withWorkingDirectory root
        |> Proc.run
    if result.ExitCode <> 0 then
        failwithf "%s %s failed with exit code %d" program (String.Join(" ", args)) result.ExitCode

Target.create "Build" (fun _ ->
    DotNet.build
        (fun options ->
            { options with
                Configuration = DotNet.BuildConfiguration.Release
                MSBuildParams = noBinLog options.MSBuildParams })
        solution)

Target.create "Test" (fun _ ->
    DotNet.test
        (fun options ->
            { options with
                Configuration = DotNet.BuildConfiguration.Release
                NoBuild = true
                MSBuildParams = noBinLog options.MSBuildParams
                Logger = Some "console;verbosity=normal" })
        solution)

Target.create "Quickstart" (fun _ ->
    run (Path.Combine(root, "rafiki")) [ "quickstart" ])

open Fake.Core.TargetOperators

"Build" ==> "Test" |> ignore
"Build" ==> "Quickstart" |> ignore

Target.runOrDefaultWithArguments "Build"
