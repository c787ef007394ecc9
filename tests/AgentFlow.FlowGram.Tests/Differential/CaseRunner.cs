using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Tests.Differential;

/// <summary>Runs one harness case on our task API and normalises it like <c>run-case.mjs</c> does.</summary>
internal static class CaseRunner
{
    public static async Task<JsonObject> RunAsync(FlowGramTaskApi api, JsonObject testCase, CancellationToken cancellationToken)
    {
        var output = new JsonObject { ["case"] = testCase["name"]!.GetValue<string>() };
        var schema = testCase["schema"]!.ToJsonString();
        var inputs = testCase["inputs"]?.DeepClone() as JsonObject ?? [];
        var kind = testCase["kind"]?.GetValue<string>();
        if (kind == "validate")
        {
            var validation = api.TaskValidate(schema, inputs);
            output["validate"] = new JsonObject { ["valid"] = validation.Valid, ["errors"] = new JsonArray([.. (validation.Errors ?? []).Select(e => JsonValue.Create(e))]) };
        }

        string taskId;
        try
        {
            taskId = await api.TaskRunAsync(schema, inputs, cancellationToken);
        }
        catch (FlowGramException ex)
        {
            output["runError"] = ex.Message;
            return output;
        }

        if (kind == "cancel")
        {
            var cancel = testCase["cancel"]!.AsObject();
            var node = cancel["whenNodeProcessing"]?.GetValue<string>() ?? string.Empty;
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                var report = (await api.TaskReportAsync(taskId, cancellationToken))!;
                if (report["reports"]?[node]?["status"]?.GetValue<string>() == "processing" || Terminated(report) || DateTime.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(2, cancellationToken);
            }

            output["cancel"] = new JsonObject { ["success"] = await api.TaskCancelAsync(taskId, cancellationToken) };
            await Task.Delay(cancel["settleMs"]?.GetValue<int>() ?? 0, cancellationToken);
        }

        var final = await WaitTerminatedAsync(api, taskId, testCase["timeoutMs"]?.GetValue<int>() ?? 30000, cancellationToken);
        if (kind != "cancel" && testCase["settleMs"] is { } settle)
        {
            await Task.Delay(settle.GetValue<int>(), cancellationToken);
            final = (await api.TaskReportAsync(taskId, cancellationToken))!;
        }

        output["status"] = final["workflowStatus"]!["status"]!.DeepClone();
        output["result"] = await api.TaskResultAsync(taskId, cancellationToken);
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

    private static async Task<JsonObject> WaitTerminatedAsync(FlowGramTaskApi api, string taskId, int timeoutMs, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var report = (await api.TaskReportAsync(taskId, cancellationToken))!;
            if (Terminated(report) || DateTime.UtcNow > deadline)
            {
                return report;
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
