using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.Core.Events.Binary;
using AgentFlow.FlowGram.Api;
using AgentFlow.Runtime;
using BenchmarkDotNet.Attributes;

namespace AgentFlow.Benchmarks.FlowGram;

/// <summary>
/// Encoding one FlowGram run's finished logs the way the in-memory stores freeze them (<see cref="EventLogEncoder"/>
/// with a <see cref="ConstantPool"/>, one encoder for every log, as <see cref="CompactEventLogs"/> keeps it): Mean is
/// per run (chain-20: 19 logs, fanout-50: 51, loop-100: 101). The logs are the event objects the runtime made for one
/// run of the harness's workflow, so values share instances as they do when a store freezes them.
/// </summary>
[MemoryDiagnoser]
public class EventLogEncodeBenchmarks
{
    private IReadOnlyList<IReadOnlyList<ExecutionEvent>> _logs = [];
    private EventLogEncoder _encoder = null!;

    [Params("chain-20", "fanout-50", "loop-100")]
    public string Workflow { get; set; } = "chain-20";

    [GlobalSetup]
    public void Setup()
    {
        var root = JsonNode.Parse(File.ReadAllText(BenchSchemas.PathOf(Workflow)))!.AsObject();
        var store = new RecordingEventStore();
        using var runtime = new WorkflowRuntime(new WorkflowRuntimeOptions { Store = store });
        using var http = new HttpClient();
        using var api = new FlowGramTaskApi(runtime, http);
        var taskId = api.TaskRun(root["schema"]!.ToJsonString(), root["inputs"]?.AsObject() ?? []);
        api.WhenIdleAsync(taskId, CancellationToken.None).GetAwaiter().GetResult();
        if (api.TaskResult(taskId) is null)
        {
            throw new InvalidOperationException($"{Workflow} returned no result.");
        }

        _logs = store.Logs;
        _encoder = new EventLogEncoder(new ConstantPool());
    }

    [Benchmark]
    public int EncodeRun()
    {
        var bytes = 0;
        foreach (var log in _logs)
        {
            bytes += _encoder.Encode(log).Length;
        }

        return bytes;
    }
}
