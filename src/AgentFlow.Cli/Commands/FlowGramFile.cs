using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;

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

    public static async Task<int> RunAsync(string path, string[] inputArguments, string? inputFile, bool report, CliConsole console, CancellationToken cancellationToken)
    {
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
        using var api = new FlowGramTaskApi(http);
        string taskId;
        try
        {
            taskId = api.TaskRun(await File.ReadAllTextAsync(path, cancellationToken), inputs);
        }
        catch (FlowGram.FlowGramException ex)
        {
            await console.Error.WriteLineAsync($"{path}: error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        var interrupted = false;
        try
        {
            await api.WhenIdleAsync(taskId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
            api.TaskCancel(taskId);
            await api.WhenIdleAsync(taskId, CancellationToken.None);
        }

        var final = api.TaskReport(taskId)!;
        var status = final["workflowStatus"]?["status"]?.GetValue<string>();
        await console.Out.WriteLineAsync((report ? final : api.TaskResult(taskId) ?? [])
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
