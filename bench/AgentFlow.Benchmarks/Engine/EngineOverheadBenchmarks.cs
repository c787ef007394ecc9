using AgentFlow.Core.Definitions;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;
using AgentFlow.Runtime;
using BenchmarkDotNet.Attributes;

namespace AgentFlow.Benchmarks.Engine;

/// <summary>
/// Engine overhead per node: whole executions of no-op graphs on the in-memory store, divided by the node
/// count (OperationsPerInvoke), so Mean is ns per node and Allocated is bytes per node.
/// </summary>
[MemoryDiagnoser]
public class EngineOverheadBenchmarks
{
    private const int ChainLength = 1_000;
    private const int FanOutWidth = 1_000;
    private const int MixedRuns = 10_000;
    private const int MixedNodes = 20;

    private WorkflowDefinition _chain = null!;
    private WorkflowDefinition _fanOut = null!;
    private WorkflowDefinition _mixed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chain = BenchmarkGraphs.Chain(ChainLength);
        _fanOut = BenchmarkGraphs.FanOut(FanOutWidth);
        _mixed = BenchmarkGraphs.Mixed();
        if (_mixed.Nodes.Length != MixedNodes)
        {
            throw new InvalidOperationException($"The mixed graph has {_mixed.Nodes.Length} nodes, expected {MixedNodes}.");
        }
    }

    [Benchmark(OperationsPerInvoke = ChainLength)]
    public Task Chain1000() => RunOnceAsync(_chain);

    [Benchmark(OperationsPerInvoke = FanOutWidth + 2)]
    public Task FanOut1000() => RunOnceAsync(_fanOut);

    [Benchmark(OperationsPerInvoke = MixedRuns * MixedNodes)]
    public async Task Mixed20x10000()
    {
        using var runtime = new WorkflowRuntime();
        for (var i = 0; i < MixedRuns; i++)
        {
            await RunAsync(runtime, _mixed);
        }
    }

    private static async Task RunOnceAsync(WorkflowDefinition definition)
    {
        // A fresh runtime per run keeps the in-memory store from growing across iterations.
        using var runtime = new WorkflowRuntime();
        await RunAsync(runtime, definition);
    }

    private static async Task RunAsync(WorkflowRuntime runtime, WorkflowDefinition definition)
    {
        var handle = await runtime.StartAsync(definition, Value.EmptyObject, null, CancellationToken.None);
        var result = await handle.Completion;
        if (result.Status != ExecutionStatus.Succeeded)
        {
            throw new InvalidOperationException($"Benchmark run ended {result.Status}: {result.Error?.Message}");
        }
    }
}
