using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.FlowGram.Api;
using AgentFlow.Runtime;
using AgentFlow.Stores.Sqlite;
using AgentFlow.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>A FlowGram task in a SQLite store outlives the runtime that started it.</summary>
public sealed class FlowGramResumeTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("agentflow-fg-resume-");
    private readonly HttpClient _http = new();
    private readonly TaskCompletionSource _parked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackHttpServer _server = null!;
    private int _holdNext;

    // start -> loop over two items (an http call per item, aggregated) -> http after the loop -> end.
    private string Schema => """
        {"nodes":[
          {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","properties":{
            "items":{"type":"array","items":{"type":"string"}}}}}},
          {"id":"loop_0","type":"loop","meta":{"position":{"x":1,"y":0}},"data":{
            "loopFor":{"type":"ref","content":["start_0","items"]},
            "loopOutputs":{"bodies":{"type":"ref","content":["http_1","body"]}}},
           "blocks":[
             {"id":"block_start_0","type":"block-start","meta":{"position":{"x":0,"y":0}},"data":{}},
             {"id":"http_1","type":"http","meta":{"position":{"x":1,"y":0}},"data":{
               "outputs":{"type":"object","properties":{"body":{"type":"string"}}},
               "api":{"method":"GET","url":{"type":"template","content":"SERVER/item/{{loop_0_locals.item}}"}},
               "headers":{"type":"object","properties":{}},"headersValues":{},"params":{"type":"object","properties":{}},"paramsValues":{},
               "body":{"bodyType":"none"},"timeout":{"timeout":20000,"retryTimes":0}}},
             {"id":"block_end_0","type":"block-end","meta":{"position":{"x":2,"y":0}},"data":{}}],
           "edges":[{"sourceNodeID":"block_start_0","targetNodeID":"http_1"},{"sourceNodeID":"http_1","targetNodeID":"block_end_0"}]},
          {"id":"http_0","type":"http","meta":{"position":{"x":2,"y":0}},"data":{
            "outputs":{"type":"object","properties":{"body":{"type":"string"}}},
            "api":{"method":"GET","url":{"type":"template","content":"SERVER/after"}},
            "headers":{"type":"object","properties":{}},"headersValues":{},"params":{"type":"object","properties":{}},"paramsValues":{},
            "body":{"bodyType":"none"},"timeout":{"timeout":20000,"retryTimes":0}}},
          {"id":"end_0","type":"end","meta":{"position":{"x":3,"y":0}},"data":{
            "inputs":{"type":"object","properties":{"bodies":{"type":"array","items":{"type":"string"}},"after":{"type":"string"}}},
            "inputsValues":{"bodies":{"type":"ref","content":["loop_0","bodies"]},"after":{"type":"ref","content":["http_0","body"]}}}}],
         "edges":[{"sourceNodeID":"start_0","targetNodeID":"loop_0"},{"sourceNodeID":"loop_0","targetNodeID":"http_0"},
                  {"sourceNodeID":"http_0","targetNodeID":"end_0"}]}
        """.Replace("SERVER", _server.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal);

    private static JsonObject Inputs => new() { ["items"] = new JsonArray("a", "b") };

    public async Task InitializeAsync() =>
        _server = await LoopbackHttpServer.StartAsync(async context =>
        {
            // The request marked to hold parks until the client goes away (the runtime is dropped).
            if (context.Request.Path == "/item/b" && Interlocked.Exchange(ref _holdNext, 0) == 1)
            {
                _parked.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await context.Response.WriteAsync("got " + context.Request.Path, context.RequestAborted);
        });

    [Fact]
    public async Task ResumeAsync_RuntimeDroppedWhileNodeParked_NewRuntimeCompletesWithSameReport()
    {
        var expected = await RunUninterruptedAsync();
        var path = Path.Combine(_directory.FullName, "tasks.db");
        Interlocked.Exchange(ref _holdNext, 1);
        string taskId;
        await using (var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), CancellationToken.None))
        {
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
            var api = new FlowGramTaskApi(runtime, _http);
            taskId = await api.TaskRunAsync(Schema, Inputs, CancellationToken.None);
            await _parked.Task.WaitAsync(Guard);

            // The process "stops": nothing more is recorded, the log stays as it is.
            await runtime.DetachAllAsync(CancellationToken.None);
        }

        await using (var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), CancellationToken.None))
        {
            using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
            var api = new FlowGramTaskApi(runtime, _http);
            var before = (await api.TaskReportAsync(taskId, CancellationToken.None))!;
            Assert.Equal("processing", before["workflowStatus"]!["status"]!.GetValue<string>());
            Assert.Null(await api.TaskResultAsync(taskId, CancellationToken.None));

            Assert.True(await api.ResumeAsync(taskId, CancellationToken.None));
            await api.WhenIdleAsync(taskId, CancellationToken.None).WaitAsync(Guard);

            var report = (await api.TaskReportAsync(taskId, CancellationToken.None))!;
            Assert.Equal(ReportJson.Normalise(expected).ToJsonString(), ReportJson.Normalise(report).ToJsonString());
            Assert.Equal("got /item/a", report["outputs"]!["bodies"]![0]!.GetValue<string>());
            var log = await store.ReadAsync(taskId, 1, CancellationToken.None);
            Assert.Single(log.OfType<NodeSucceeded>(), e => e.NodeId == "start_0");
            Assert.False(await api.ResumeAsync(taskId, CancellationToken.None));
        }

        // Item a ran once (completed before the stop); item b was re-dispatched after its parked call.
        Assert.Equal(2, _server.Requests.Count(r => r.PathAndQuery == "/item/a"));
        Assert.Equal(3, _server.Requests.Count(r => r.PathAndQuery == "/item/b"));
    }

    private async Task<JsonObject> RunUninterruptedAsync()
    {
        using var api = new FlowGramTaskApi(_http);
        var taskId = await api.TaskRunAsync(Schema, Inputs, CancellationToken.None);
        await api.WhenIdleAsync(taskId, CancellationToken.None).WaitAsync(Guard);
        var report = (await api.TaskReportAsync(taskId, CancellationToken.None))!;
        Assert.Equal("succeeded", report["workflowStatus"]!["status"]!.GetValue<string>());
        return report;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    public void Dispose() => _http.Dispose();
}
