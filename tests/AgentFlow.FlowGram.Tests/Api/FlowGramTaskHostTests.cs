using System.Text.Json.Nodes;
using AgentFlow.Core.Persistence;
using AgentFlow.FlowGram.Api;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Stores.Sqlite;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>Tasks started through a <see cref="WorkflowHost"/> are stored, leased and listed like any execution.</summary>
public sealed class FlowGramTaskHostTests : IDisposable
{
    private const string Flow = """
        {"nodes":[
          {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}}},
          {"id":"end_0","type":"end","meta":{"position":{"x":1,"y":0}},"data":{"inputs":{"type":"object","properties":{"n":{"type":"integer"}}},"inputsValues":{"n":{"type":"ref","content":["start_0","n"]}}}}],
         "edges":[{"sourceNodeID":"start_0","targetNodeID":"end_0"}]}
        """;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("agentflow-fg-host-");
    private readonly HttpClient _http = new();

    [Fact]
    public async Task TaskRunAsync_ThroughHost_StoresSchemaAndIndexesExecutionAndReadsBackFromAnotherRuntime()
    {
        var path = Path.Combine(_directory.FullName, "tasks.db");
        string taskId;
        await using (var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), CancellationToken.None))
        {
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
            await using var host = new WorkflowHost(runtime);
            using var api = new FlowGramTaskApi(host, _http);

            taskId = await api.TaskRunAsync(Flow, new JsonObject { ["n"] = 5 }, CancellationToken.None);
            await api.WhenIdleAsync(taskId, CancellationToken.None);

            var record = await store.GetExecutionAsync(taskId, CancellationToken.None);
            Assert.NotNull(record);
            Assert.Equal(Core.Execution.ExecutionStatus.Succeeded, record.Status);
            var definition = await store.GetDefinitionAsync(record.WorkflowId, record.WorkflowVersion, CancellationToken.None);
            Assert.Equal(DefinitionFormats.FlowGram, definition!.Format);
            Assert.Equal(Flow, definition.Source);
            Assert.True(await api.TaskCancelAsync(taskId, CancellationToken.None));
            Assert.False(await api.TaskCancelAsync("unknown", CancellationToken.None));
        }

        // Another process reads the task from the same file.
        await using (var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), CancellationToken.None))
        {
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
            using var api = new FlowGramTaskApi(runtime, _http);

            Assert.Equal(5, (await api.TaskResultAsync(taskId, CancellationToken.None))!["n"]!.GetValue<double>());
            var report = (await api.TaskReportAsync(taskId, CancellationToken.None))!;
            Assert.Equal("succeeded", report["reports"]!["end_0"]!["status"]!.GetValue<string>());
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _directory.Delete(recursive: true);
    }
}
