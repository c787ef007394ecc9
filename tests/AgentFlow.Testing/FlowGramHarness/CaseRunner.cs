using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentFlow.Testing.FlowGramHarness;

/// <summary>Runs one harness case through <see cref="IFlowGramTasks"/> and normalises it like <c>run-case.mjs</c> does.</summary>
public static class CaseRunner
{
    /// <summary>What the output holds instead of <c>status</c>, <c>messages</c> and <c>nodes</c> when the report could not be read (<see cref="IFlowGramTasks.ReportAsync"/> gave null).</summary>
    public const string ReportRejected = "500 Output validation failed";

    public static async Task<JsonObject> RunAsync(IFlowGramTasks api, JsonObject testCase, CancellationToken cancellationToken)
    {
        var output = new JsonObject { ["case"] = testCase["name"]!.GetValue<string>() };
        var schema = testCase["schema"]!.ToJsonString();
        var inputs = testCase["inputs"]?.DeepClone() as JsonObject ?? [];
        var kind = testCase["kind"]?.GetValue<string>();
        if (kind == "validate")
        {
            var validation = await api.ValidateAsync(schema, inputs, cancellationToken);
            output["validate"] = new JsonObject { ["valid"] = validation["valid"]!.DeepClone(), ["errors"] = validation["errors"]?.DeepClone() ?? new JsonArray() };
        }

        var run = await api.RunAsync(schema, (JsonObject)inputs.DeepClone(), cancellationToken);
        if (run.TaskId is not { } taskId)
        {
            output["runError"] = run.Error;
            return output;
        }

        if (kind == "cancel")
        {
            var cancel = testCase["cancel"]!.AsObject();
            var node = cancel["whenNodeProcessing"]?.GetValue<string>() ?? string.Empty;
            var clock = Stopwatch.StartNew();
            while (await api.ReportAsync(taskId, cancellationToken) is { } report
                && report["reports"]?[node]?["status"]?.GetValue<string>() != "processing" && !Terminated(report) && clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(2, cancellationToken);
            }

            output["cancel"] = new JsonObject { ["success"] = await api.CancelAsync(taskId, cancellationToken) };
            await Task.Delay(cancel["settleMs"]?.GetValue<int>() ?? 0, cancellationToken);
        }

        var final = await WaitTerminatedAsync(api, taskId, testCase["timeoutMs"]?.GetValue<int>() ?? 30000, cancellationToken);
        if (kind != "cancel" && testCase["settleMs"] is { } settle)
        {
            await Task.Delay(settle.GetValue<int>(), cancellationToken);
            final = await api.ReportAsync(taskId, cancellationToken);
        }

        output["result"] = await api.ResultAsync(taskId, cancellationToken);
        if (final is null)
        {
            output["report"] = ReportRejected;
            return output;
        }

        output["status"] = final["workflowStatus"]!["status"]!.DeepClone();
        output["messages"] = new JsonObject { ["error"] = new JsonArray([.. final["messages"]!["error"]!.AsArray().Select(Message)]) };
        var nodes = new JsonObject();
        foreach (var (id, report) in final["reports"]!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            nodes[id] = new JsonObject
            {
                ["status"] = report!["status"]!.DeepClone(),
                ["snapshots"] = new JsonArray([.. report["snapshots"]!.AsArray().Select(Snapshot)]),
            };
        }

        output["nodes"] = nodes;
        return output;
    }

    private static bool Terminated(JsonObject report) => report["workflowStatus"]!["terminated"]!.GetValue<bool>();

    /// <summary>Polls the report until the task has terminated; when the report cannot be read, TaskResult tells (it answers once terminated).</summary>
    private static async Task<JsonObject?> WaitTerminatedAsync(IFlowGramTasks api, string taskId, int timeoutMs, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var report = await api.ReportAsync(taskId, cancellationToken);
            var terminated = report is null ? await api.ResultAsync(taskId, cancellationToken) is not null : Terminated(report);
            if (terminated || clock.ElapsedMilliseconds > timeoutMs)
            {
                return report is null ? await api.ReportAsync(taskId, cancellationToken) : report;
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    private static JsonNode Message(JsonNode? message)
    {
        var result = new JsonObject();
        if (message!["nodeID"] is { } nodeId)
        {
            result["nodeID"] = nodeId.DeepClone();
        }

        result["message"] = message["message"]!.DeepClone();
        return result;
    }

    private static JsonNode Snapshot(JsonNode? snapshot)
    {
        var result = new JsonObject();
        foreach (var key in (string[])["inputs", "outputs", "data", "branch", "error"])
        {
            if (snapshot![key] is { } value)
            {
                result[key] = value.DeepClone();
            }
        }

        return result;
    }
}
