using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.Server.Tests.FlowGram;

/// <summary>
/// The harness's task APIs over the FlowGram routes, as FlowGram's client calls the reference server (FLOWGRAM.md §4.3).
/// Every answer is checked against the reference server's shapes first: only the keys of the zod output schemas, an
/// empty 200 body for <c>undefined</c>, the 500 for a report that fails the schema.
/// </summary>
internal sealed class HttpTasks(HttpClient client) : IFlowGramTasks
{
    private static readonly Dictionary<string, string[]> Keys = new(StringComparer.Ordinal)
    {
        ["validate"] = ["valid", "errors"],
        ["run"] = ["taskID"],
        ["cancel"] = ["success"],
        ["report"] = ["id", "inputs", "outputs", "workflowStatus", "reports", "messages"],
        ["status"] = ["status", "terminated", "startTime", "endTime", "timeCost"],
        ["node"] = ["id", "status", "terminated", "startTime", "endTime", "timeCost", "snapshots"],
        ["snapshot"] = ["id", "nodeID", "inputs", "outputs", "data", "branch"],
        ["message"] = ["id", "type", "message", "nodeID", "timestamp"],
    };

    public async Task<JsonObject> ValidateAsync(string schema, JsonObject inputs, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync("/api/task/validate", ServerHarness.Json(Body(schema, inputs)), cancellationToken);
        return Shaped("validate", await JsonAsync(response, cancellationToken));
    }

    public async Task<TaskRunOutcome> RunAsync(string schema, JsonObject inputs, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync("/api/task/run", ServerHarness.Json(Body(schema, inputs)), cancellationToken);
        return await JsonOrEmptyAsync(response, cancellationToken) is { } body
            ? new TaskRunOutcome(Shaped("run", body)["taskID"]!.GetValue<string>(), null)
            : new TaskRunOutcome(null, ReferenceServer.EmptyBody);
    }

    public async Task<JsonObject?> ReportAsync(string taskId, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"/api/task/report?taskID={Uri.EscapeDataString(taskId)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.InternalServerError)
        {
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            if (problem["message"]?.GetValue<string>() != "Output validation failed" || problem["code"]?.GetValue<string>() != "INTERNAL_SERVER_ERROR")
            {
                throw new InvalidOperationException($"TaskReport answered 500 but not the reference's output-validation failure: {problem.ToJsonString()}");
            }

            return null;
        }

        var report = Shaped("report", await JsonAsync(response, cancellationToken));
        Shaped("status", report["workflowStatus"]!.AsObject());
        foreach (var (id, node) in report["reports"]!.AsObject())
        {
            foreach (var snapshot in Shaped("node", node!.AsObject(), id)["snapshots"]!.AsArray())
            {
                Shaped("snapshot", snapshot!.AsObject(), id);
            }
        }

        foreach (var message in report["messages"]!.AsObject().SelectMany(p => p.Value!.AsArray()))
        {
            Shaped("message", message!.AsObject());
        }

        return report;
    }

    public async Task<JsonObject?> ResultAsync(string taskId, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"/api/task/result?taskID={Uri.EscapeDataString(taskId)}", cancellationToken);
        return await JsonOrEmptyAsync(response, cancellationToken);
    }

    public async Task<bool> CancelAsync(string taskId, CancellationToken cancellationToken)
    {
        using var response = await client.PutAsync("/api/task/cancel", ServerHarness.Json(new JsonObject { ["taskID"] = taskId }), cancellationToken);
        return Shaped("cancel", await JsonAsync(response, cancellationToken))["success"]!.GetValue<bool>();
    }

    private static JsonObject Body(string schema, JsonObject inputs) => new() { ["schema"] = schema, ["inputs"] = inputs.DeepClone() };

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await JsonOrEmptyAsync(response, cancellationToken)
        ?? throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered an empty body where the reference answers JSON.");

    /// <summary>A 200 JSON object, or null for the reference's <c>undefined</c>: a 200 with <c>application/json</c> and no body.</summary>
    private static async Task<JsonObject?> JsonOrEmptyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            throw new InvalidOperationException($"{request}: expected 200 application/json, got {(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
        }

        return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"{request}: not a JSON object: {text}");
    }

    /// <summary>Fails on a key the reference's zod schema would have stripped.</summary>
    private static JsonObject Shaped(string what, JsonObject value, string? nodeId = null)
    {
        if (value.Select(p => p.Key).FirstOrDefault(k => !Keys[what].Contains(k, StringComparer.Ordinal)) is { } extra)
        {
            throw new InvalidOperationException($"{what}{(nodeId is null ? string.Empty : $" of {nodeId}")} has the key \"{extra}\", which the reference server strips: {value.ToJsonString()}");
        }

        if (value.Any(p => p.Value is null || p.Value.GetValueKind() == JsonValueKind.Null))
        {
            throw new InvalidOperationException($"{what}{(nodeId is null ? string.Empty : $" of {nodeId}")} has a null where the reference's zod schema takes none: {value.ToJsonString()}");
        }

        return value;
    }
}
