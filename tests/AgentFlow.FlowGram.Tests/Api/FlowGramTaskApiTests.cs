using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Api;

namespace AgentFlow.FlowGram.Tests.Api;

public sealed class FlowGramTaskApiTests : IDisposable
{
    private const string Flow = """
        {"nodes":[
          {"id":"start_0","type":"start","meta":{"position":{"x":0,"y":0}},"data":{"outputs":{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}}},
          {"id":"end_0","type":"end","meta":{"position":{"x":1,"y":0}},"data":{"inputs":{"type":"object","properties":{"n":{"type":"integer"}}},"inputsValues":{"n":{"type":"ref","content":["start_0","n"]}}}}],
         "edges":[{"sourceNodeID":"start_0","targetNodeID":"end_0"}]}
        """;

    private readonly HttpClient _http = new();
    private readonly FlowGramTaskApi _api;

    public FlowGramTaskApiTests() => _api = new FlowGramTaskApi(_http);

    [Fact]
    public void UnknownTask_ReportResultAndCancel_AreEmpty()
    {
        Assert.Null(_api.TaskReport("nope"));
        Assert.Null(_api.TaskResult("nope"));
        Assert.False(_api.TaskCancel("nope"));
    }

    [Fact]
    public async Task TaskRun_ValidInputs_SucceedsWithEndOutputsAndFreshReportIds()
    {
        var taskId = _api.TaskRun(Flow, new JsonObject { ["n"] = 7 });
        await _api.WhenIdleAsync(taskId, CancellationToken.None);

        var first = _api.TaskReport(taskId)!;
        var second = _api.TaskReport(taskId)!;

        Assert.True(Guid.TryParse(taskId, out _));
        Assert.Equal("succeeded", first["workflowStatus"]!["status"]!.GetValue<string>());
        Assert.Equal(7, _api.TaskResult(taskId)!["n"]!.GetValue<double>());
        Assert.NotEqual(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.NotEqual(taskId, first["id"]!.GetValue<string>());
        Assert.True(first["workflowStatus"]!["startTime"]!.GetValue<long>() > 1_600_000_000_000);
        Assert.Equal(["log", "info", "debug", "error", "warning"], first["messages"]!.AsObject().Select(p => p.Key));
        Assert.True(_api.TaskCancel(taskId));
        Assert.Equal("succeeded", _api.TaskReport(taskId)!["workflowStatus"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void TaskRun_InvalidInputs_CreatesFailedTaskWithoutStartTime()
    {
        var taskId = _api.TaskRun(Flow, []);

        var report = _api.TaskReport(taskId)!;

        Assert.Equal("failed", report["workflowStatus"]!["status"]!.GetValue<string>());
        Assert.False(report["workflowStatus"]!.AsObject().ContainsKey("startTime"));
        Assert.Equal(0, report["workflowStatus"]!["timeCost"]!.GetValue<long>());
        var error = Assert.Single(report["messages"]!["error"]!.AsArray());
        Assert.Equal("JSON Schema validation failed: Missing required property \"n\" at root", error!["message"]!.GetValue<string>());
        Assert.False(error.AsObject().ContainsKey("nodeID"));
        Assert.Empty(_api.TaskResult(taskId)!);
    }

    [Fact]
    public void TaskRun_SchemaNotJson_Throws() =>
        Assert.Throws<FlowGramException>(() => _api.TaskRun("{not json", []));

    [Fact]
    public void TaskValidate_ValidSchemaAndInputs_HasNoErrors()
    {
        var result = _api.TaskValidate(Flow, new JsonObject { ["n"] = 1 });

        Assert.True(result.Valid);
        Assert.Null(result.Errors);
    }

    public void Dispose()
    {
        _api.Dispose();
        _http.Dispose();
    }
}
