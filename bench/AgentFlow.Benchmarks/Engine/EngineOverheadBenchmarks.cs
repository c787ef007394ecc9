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
/// <remarks>
/// One long-lived runtime per iteration, as a host keeps one: each definition's graph is compiled once (in the
/// setup's warm-up run), and a fresh runtime per iteration keeps the in-memory store from growing without bound.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(64)]
public class EngineOverheadBenchmarks : IDisposable
{
    private const int ChainLength = 1_000;
    private const int FanOutWidth = 1_000;
    private const int MixedRunsPerInvoke = 160;
    private const int MixedNodes = 20;

    private WorkflowDefinition _chain = null!;
    private WorkflowDefinition _fanOut = null!;
    private WorkflowDefinition _mixed = null!;
    private WorkflowRuntime? _runtime;

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

    [IterationSetup]
    public void StartRuntime()
    {
        _runtime?.Dispose();
        _runtime = new WorkflowRuntime();
        foreach (var definition in new[] { _chain, _fanOut, _mixed })
        {
            RunAsync(_runtime, definition).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _runtime?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = ChainLength)]
    public Task Chain1000() => RunAsync(_runtime!, _chain);

    [Benchmark(OperationsPerInvoke = FanOutWidth + 2)]
    public Task FanOut1000() => RunAsync(_runtime!, _fanOut);

    /// <summary>
    /// The mixed graph's executions are short, so each invocation runs a batch of them back to back:
    /// 64 invocations × 160 runs = 10,240 executions per iteration.
    /// </summary>
    [Benchmark(OperationsPerInvoke = MixedRunsPerInvoke * MixedNodes)]
    public async Task Mixed20()
    {
        for (var i = 0; i < MixedRunsPerInvoke; i++)
        {
            await RunAsync(_runtime!, _mixed);
        }
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
