// Build script: restore, build, test, bench and quickstart targets.
// Run with: dotnet fsi build.fsx -t TARGET   (targets: Setup, Build, Test, Quickstart; default Build)
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

/// Connection string the cluster tests use to create their own databases.
let testPostgres = "Host=127.0.0.1;Port=5432;Username=rafiki;Password=rafiki;Database=postgres"
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

let isRoot () = Environment.UserName = "root"

/// Runs a command as root: directly when already root, otherwise through sudo.
let runAsRoot (program: string) (args: string list) =
    if isRoot () then run program args else run "sudo" (program :: args)

let succeeds (program: string) (args: string list) =
    try
        (CreateProcess.fromRawCommand program args |> CreateProcess.redirectOutput |> Proc.run).ExitCode = 0
    with _ -> false

/// Installs, starts and prepares the local PostgreSQL server that the cluster tests use: a role 'rafiki' that may
/// create databases. Each step is skipped when already done.
let ensurePostgres () =
    if not (succeeds "pg_lsclusters" [ "-h" ]) then
        runAsRoot "apt-get" [ "update"; "-q" ]
        runAsRoot "apt-get" [ "install"; "-y"; "-q"; "postgresql" ]
    let clusters =
        (CreateProcess.fromRawCommand "pg_lsclusters" [ "-h" ] |> CreateProcess.redirectOutput |> Proc.run).Result.Output
    match clusters.Split('\n', StringSplitOptions.RemoveEmptyEntries) |> Array.tryHead with
    | None -> failwith "PostgreSQL is installed but has no cluster; create one with pg_createcluster."
    | Some line ->
        let fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        if fields.[3] <> "online" then
            runAsRoot "pg_ctlcluster" [ fields.[0]; fields.[1]; "start" ]
    let createRole =
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rafiki') THEN "
        + "CREATE ROLE rafiki LOGIN CREATEDB PASSWORD 'rafiki'; END IF; END $$;"
    let psql = [ "psql"; "-q"; "-v"; "ON_ERROR_STOP=1"; "-c"; createRole ]
    if isRoot () then run "runuser" ([ "-u"; "postgres"; "--" ] @ psql) else run "sudo" ([ "-u"; "postgres" ] @ psql)

Target.create "Setup" (fun _ -> ensurePostgres ())

Target.create "Build" (fun _ ->
    DotNet.build
        (fun options ->
            { options with
                Configuration = DotNet.BuildConfiguration.Release
                MSBuildParams = noBinLog options.MSBuildParams })
        solution)

Target.create "Test" (fun _ ->
    Environment.setEnvironVar "RAFIKI_TEST_POSTGRES" testPostgres
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

"Setup" ==> "Build" ==> "Test" |> ignore
"Build" ==> "Quickstart" |> ignore

Target.runOrDefaultWithArguments "Build"
