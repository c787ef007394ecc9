using System.CommandLine;
using AgentFlow.Cli.Progress;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Cli.Commands;

/// <summary><c>agentflow run FILE</c>: runs a workflow in-process with live progress, then prints its outputs.</summary>
internal static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The workflow file (YAML or JSON)." };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "A workflow input as key=value; repeat for several. Typed by the input's declared type.",
            AllowMultipleArgumentsPerToken = false,
        };
        var inputFile = new Option<string?>("--input-file") { Description = "A JSON file holding an object of inputs (--input values override it)." };
        var report = new Option<bool>("--report") { Description = "Print the full execution report instead of the outputs." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Show no progress." };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "At most this many nodes run at once.",
            DefaultValueFactory = _ => Environment.ProcessorCount * 16,
        };
        var db = new Option<string?>("--db") { Description = "Run durably in this SQLite file (created when absent): a crash or Ctrl+C leaves the execution resumable." };
        var ephemeral = new Option<bool>("--ephemeral") { Description = "Use the durable runtime over an in-memory store (nothing outlives the process)." };
        var lease = new Option<string>("--lease") { Description = "With --db: how long a crashed run blocks others from resuming it, e.g. 30s.", DefaultValueFactory = _ => "30s" };
        var command = new Command("run", "Run a workflow and print its outputs as JSON.") { file, inputs, inputFile, report, quiet, concurrency, db, ephemeral, lease };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            new RunRequest(
                parsed.GetRequiredValue(file),
                parsed.GetValue(inputs) ?? [],
                parsed.GetValue(inputFile),
                parsed.GetValue(report),
                parsed.GetValue(quiet),
                parsed.GetValue(concurrency),
                parsed.GetValue(db),
                parsed.GetValue(ephemeral),
                parsed.GetValue(lease) ?? "30s"),
            console,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(RunRequest request, CliConsole console, CancellationToken cancellationToken)
    {
        if (request.Concurrency < 1)
        {
            await console.Error.WriteLineAsync("error: --concurrency must be at least 1.");
            return ExitCodes.InvalidInput;
        }

        var flowGram = FlowGramFile.IsFlowGram(request.File);
        Core.Definitions.WorkflowDefinition? definition = null;
        var inputValues = Core.Values.Value.Null;
        if (!flowGram)
        {
            definition = await DefinitionFile.LoadAsync(request.File, StandardNodes.Catalog, console);
            if (definition is null)
            {
                return ExitCodes.InvalidInput;
            }

            var errors = new List<string>();
            inputValues = InputArguments.Parse(definition, request.Inputs, request.InputFile, errors);
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    await console.Error.WriteLineAsync($"error: {error}");
                }

                return ExitCodes.InvalidInput;
            }
        }

        if (!Core.Values.Duration.TryFromValue(Core.Values.Value.From(request.Lease), out var leaseTime) || leaseTime <= TimeSpan.Zero)
        {
            await console.Error.WriteLineAsync("error: --lease takes a positive duration such as 5s or 1m.");
            return ExitCodes.InvalidInput;
        }

        if (request.Database is not null && request.Ephemeral)
        {
            await console.Error.WriteLineAsync("error: --db and --ephemeral cannot be combined.");
            return ExitCodes.InvalidInput;
        }

        IWorkflowStore? store = request.Ephemeral ? StoreOpener.OpenEphemeral()
            : request.Database is { } path ? await StoreOpener.OpenSqliteAsync(path, mustExist: false, console, cancellationToken)
            : null;
        if (request.Database is not null && store is null)
        {
            return ExitCodes.InvalidInput;
        }

        try
        {
            await using var durable = store;
            return definition is null
                ? await FlowGramFile.RunAsync(new FlowGramRun(request.File, request.Inputs, request.InputFile, request.Report, request.Concurrency, store, request.Database, leaseTime), console, cancellationToken)
                : await RunAsync(request, definition, inputValues, store, leaseTime, console, cancellationToken);
        }
        catch (StoreException exception)
        {
            await StoreOpener.ReportAsync(exception, console);
            return ExitCodes.InvalidInput;
        }
        catch (WorkflowDeletedException exception)
        {
            // Another process deleted the workflow between this run saving its version and starting it.
            await console.Error.WriteLineAsync($"error: workflow '{exception.WorkflowId}' was deleted (by another process) while this run was starting; nothing was started. Run it again to save and start it anew.");
            return ExitCodes.InvalidInput;
        }
    }

    private static async Task<int> RunAsync(RunRequest request, Core.Definitions.WorkflowDefinition definition, Core.Values.Value inputValues, IWorkflowStore? store, TimeSpan leaseTime, CliConsole console, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions
        {
            Store = store,
            Registry = StandardNodes.CreateRegistry(http),
            MaxConcurrentNodes = request.Concurrency,
        });
        await using var host = store is null ? null : new WorkflowHost(runtime, new WorkflowHostOptions { LeaseDuration = leaseTime });

        ExecutionHandle handle;
        try
        {
            handle = host is null
                ? await runtime.StartAsync(definition, inputValues, null, cancellationToken)
                : await host.StartAsync(definition, inputValues, new StartOptions { Source = await ReadSourceAsync(request.File, cancellationToken) }, cancellationToken);
        }
        catch (WorkflowInputException exception)
        {
            await DefinitionFile.PrintAsync(exception.Diagnostics, console);
            return ExitCodes.InvalidInput;
        }

        if (request.Database is not null)
        {
            await console.Error.WriteLineAsync($"execution {handle.ExecutionId} (resume with: agentflow runs resume {handle.ExecutionId} --db {request.Database})");
        }

        IProgressView view = request.Quiet ? new SilentProgressView()
            : console.Interactive ? new LiveProgressView(console.Error, definition)
            : new LineProgressView(console.Error);
        return await ExecutionFollower.FollowAsync(runtime, handle, view, request.Report, detachOnInterrupt: request.Database is not null, console, cancellationToken);
    }

    private static async Task<DefinitionSource> ReadSourceAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var format = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? DefinitionFormats.Json : DefinitionFormats.Yaml;
        return new DefinitionSource(format, text, path);
    }

    private sealed record RunRequest(string File, string[] Inputs, string? InputFile, bool Report, bool Quiet, int Concurrency, string? Database, bool Ephemeral, string Lease);
}
