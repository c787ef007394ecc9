using System.CommandLine;
using AgentFlow.Cli.Progress;
using AgentFlow.Core.Execution;
using AgentFlow.Runtime;

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
        var command = new Command("run", "Run a workflow and print its outputs as JSON.") { file, inputs, inputFile, report, quiet, concurrency };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            new RunRequest(
                parsed.GetRequiredValue(file),
                parsed.GetValue(inputs) ?? [],
                parsed.GetValue(inputFile),
                parsed.GetValue(report),
                parsed.GetValue(quiet),
                parsed.GetValue(concurrency)),
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

        if (FlowGramFile.IsFlowGram(request.File))
        {
            return await FlowGramFile.RunAsync(request.File, request.Inputs, request.InputFile, request.Report, console, cancellationToken);
        }

        var definition = await DefinitionFile.LoadAsync(request.File, StandardNodes.Catalog, console);
        if (definition is null)
        {
            return ExitCodes.InvalidInput;
        }

        var errors = new List<string>();
        var inputValues = InputArguments.Parse(definition, request.Inputs, request.InputFile, errors);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await console.Error.WriteLineAsync($"error: {error}");
            }

            return ExitCodes.InvalidInput;
        }

        using var http = new HttpClient();
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions
        {
            Registry = StandardNodes.CreateRegistry(http),
            MaxConcurrentNodes = request.Concurrency,
        });

        ExecutionHandle handle;
        try
        {
            handle = await runtime.StartAsync(definition, inputValues, null, cancellationToken);
        }
        catch (WorkflowInputException exception)
        {
            await DefinitionFile.PrintAsync(exception.Diagnostics, console);
            return ExitCodes.InvalidInput;
        }

        IProgressView view = request.Quiet ? new SilentProgressView()
            : console.Interactive ? new LiveProgressView(console.Error, definition)
            : new LineProgressView(console.Error);
        var watching = view.FollowAsync(handle, CancellationToken.None);
        var interrupted = false;
        ExecutionResult result;
        try
        {
            result = await handle.Completion.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
            await handle.CancelAsync(CancellationToken.None);
            result = await handle.Completion;
        }

        await watching;
        if (request.Report)
        {
            var executionReport = await runtime.GetReportAsync(handle.ExecutionId, CancellationToken.None);
            await console.Out.WriteLineAsync(executionReport!.ToJson(indented: true));
        }
        else if (result.Status == ExecutionStatus.Succeeded)
        {
            await console.Out.WriteLineAsync(result.Outputs.ToJson(indented: true));
        }

        if (result.Status != ExecutionStatus.Succeeded && result.Error is { } failure)
        {
            var where = result.FailedNodeId is null ? string.Empty : $" at node '{result.FailedNodeId}'";
            await console.Error.WriteLineAsync($"error: workflow {ExecutionReport.StatusName(result.Status)}{where}: {failure.Code}: {failure.Message}");
        }

        return interrupted ? ExitCodes.Interrupted
            : result.Status == ExecutionStatus.Succeeded ? ExitCodes.Success
            : ExitCodes.WorkflowFailed;
    }

    private sealed record RunRequest(string File, string[] Inputs, string? InputFile, bool Report, bool Quiet, int Concurrency);
}
