using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.Core.Persistence;
using AgentFlow.FlowGram.Api;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.Cli.Commands;

/// <summary><c>run</c> and <c>validate</c> for FlowGram schema files, through the FlowGram task API.</summary>
internal static class FlowGramFile
{
    /// <summary>Whether the file is a FlowGram schema (nodes with <c>meta.position</c>, edges with <c>sourceNodeID</c>).</summary>
    public static bool IsFlowGram(string path) =>
        File.Exists(path) && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && FlowGramSchemaDetector.IsFlowGram(File.ReadAllText(path));

    public static async Task<int> ValidateAsync(string path, CliConsole console)
    {
        var errors = FlowGramTaskApi.ValidateSchema(await File.ReadAllTextAsync(path));
        foreach (var error in errors)
        {
            await console.Error.WriteLineAsync($"{path}: error: {error}");
        }

        if (errors.Count > 0)
        {
            await console.Error.WriteLineAsync($"{path}: {errors.Count} error(s) (FlowGram schema).");
            return ExitCodes.InvalidInput;
        }

        await console.Out.WriteLineAsync($"{path}: valid (FlowGram schema).");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Runs a FlowGram schema as an execution of the AgentFlow runtime: in memory, or durably in <see cref="FlowGramRun.Store"/>
    /// (leased by a host like any execution), where <c>runs list/show/history</c> find it.
    /// </summary>
    public static async Task<int> RunAsync(FlowGramRun run, CliConsole console, CancellationToken cancellationToken)
    {
        var (path, inputArguments, inputFile, report) = (run.File, run.Inputs, run.InputFile, run.Report);
        JsonObject inputs;
        try
        {
            inputs = inputFile is null ? [] : JsonNode.Parse(await File.ReadAllTextAsync(inputFile, cancellationToken)) as JsonObject ?? [];
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            await console.Error.WriteLineAsync($"error: --input-file: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        foreach (var argument in inputArguments)
        {
            var separator = argument.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                await console.Error.WriteLineAsync($"error: --input '{argument}' is not key=value.");
                return ExitCodes.InvalidInput;
            }

            inputs[argument[..separator]] = ParseValue(argument[(separator + 1)..]);
        }

        using var http = new HttpClient();
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = run.Store, MaxConcurrentNodes = run.Concurrency });
        await using var host = run.Store is null ? null : new WorkflowHost(runtime, new WorkflowHostOptions { LeaseDuration = run.Lease });
        using var api = host is null ? new FlowGramTaskApi(runtime, http) : new FlowGramTaskApi(host, http);
        string taskId;
        try
        {
            taskId = await api.TaskRunAsync(await File.ReadAllTextAsync(path, cancellationToken), inputs, cancellationToken);
        }
        catch (FlowGram.FlowGramException ex)
        {
            await console.Error.WriteLineAsync($"{path}: error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        if (run.Database is not null)
        {
            await console.Error.WriteLineAsync($"execution {taskId} (inspect with: agentflow runs show {taskId} --db {run.Database})");
        }

        var interrupted = false;
        try
        {
            await api.WhenIdleAsync(taskId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
            await api.TaskCancelAsync(taskId, CancellationToken.None);
            await api.WhenIdleAsync(taskId, CancellationToken.None);
        }

        var final = (await api.TaskReportAsync(taskId, CancellationToken.None))!;
        var status = final["workflowStatus"]?["status"]?.GetValue<string>();
        await console.Out.WriteLineAsync((report ? final : await api.TaskResultAsync(taskId, CancellationToken.None) ?? [])
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        foreach (var message in final["messages"]?["error"]?.AsArray() ?? [])
        {
            var node = message?["nodeID"]?.GetValue<string>();
            await console.Error.WriteLineAsync($"error: {(node is null ? string.Empty : node + ": ")}{message?["message"]?.GetValue<string>()}");
        }

        return interrupted ? ExitCodes.Interrupted : status == "succeeded" ? ExitCodes.Success : ExitCodes.WorkflowFailed;
    }

    private static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}

/// <summary>What <c>agentflow run</c> needs to run a FlowGram schema; <paramref name="Store"/> null runs in memory.</summary>
internal sealed record FlowGramRun(string File, string[] Inputs, string? InputFile, bool Report, int Concurrency, IWorkflowStore? Store, string? Database, TimeSpan Lease);
