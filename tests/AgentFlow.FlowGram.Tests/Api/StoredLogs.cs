using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.FlowGram.Api;
using AgentFlow.Testing.FlowGramHarness;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>
/// Logs written by earlier versions, in <c>LegacyLoopLogs/</c>: <c>&lt;name&gt;.jsonl</c> (one serialized event a line,
/// the task's log then its iterations') and <c>&lt;name&gt;.case.json</c> (the schema and inputs that wrote it).
/// </summary>
internal static class StoredLogs
{
    private static readonly string Folder = Path.Combine(Path.GetDirectoryName(HarnessCases.Directory)!, "AgentFlow.FlowGram.Tests", "Api", "LegacyLoopLogs");

    /// <summary>Appends the stored log <paramref name="name"/> to <paramref name="api"/>'s store; returns its events.</summary>
    public static async Task<List<ExecutionEvent>> LoadAsync(FlowGramTaskApi api, string name)
    {
        var events = (await File.ReadAllLinesAsync(Path.Combine(Folder, name + ".jsonl"))).Select(EventSerializer.Deserialize).ToList();
        foreach (var log in events.GroupBy(e => e.ExecutionId))
        {
            await api.Runtime.Store.AppendAsync(log.Key, 0, [.. log], CancellationToken.None);
        }

        return events;
    }

    /// <summary>Runs the task that wrote <paramref name="name"/> on <paramref name="api"/> to its end; returns its id.</summary>
    public static async Task<string> RunAsync(FlowGramTaskApi api, string name)
    {
        var task = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, name + ".case.json")))!;
        var taskId = await api.TaskRunAsync(task["schema"]!.ToJsonString(), task["inputs"]!.AsObject().DeepClone().AsObject(), CancellationToken.None);
        await api.WhenIdleAsync(taskId, CancellationToken.None);
        return taskId;
    }
}
