using AgentFlow.Core.Definitions;
using AgentFlow.Core.Events;
using AgentFlow.Core.Values;
using AgentFlow.Testing;

namespace AgentFlow.Runtime.Tests;

/// <summary>A runtime on a fake clock, plus helpers that wait on events (never on wall-clock time).</summary>
internal sealed class RuntimeFixture : IDisposable
{
    /// <summary>Only a guard against a hung test; no assertion depends on it.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public RuntimeFixture(int maxConcurrentNodes = 64)
    {
        var ids = 0;
        Runtime = new WorkflowRuntime(new WorkflowRuntimeOptions
        {
            TimeProvider = Time,
            MaxConcurrentNodes = maxConcurrentNodes,
            IdGenerator = () => $"exec-{Interlocked.Increment(ref ids)}",
        });
    }

    public FakeTimeProvider Time { get; } = new();

    public WorkflowRuntime Runtime { get; }

    public NodeExecutorRegistry Registry => Runtime.Registry;

    public Task<ExecutionHandle> StartAsync(WorkflowDefinition definition, Value inputs = default) =>
        Runtime.StartAsync(definition, inputs.IsNull ? Value.EmptyObject : inputs, null, CancellationToken.None);

    public async Task<ExecutionResult> RunAsync(WorkflowDefinition definition, Value inputs = default)
    {
        var handle = await StartAsync(definition, inputs);
        return await handle.Completion.WaitAsync(Guard);
    }

    /// <summary>Waits until the execution records an event matching <paramref name="match"/>.</summary>
    public static async Task<T> WaitForAsync<T>(ExecutionHandle handle, Func<T, bool>? match = null)
        where T : ExecutionEvent
    {
        using var cts = new CancellationTokenSource(Guard);
        await foreach (var e in handle.WatchAsync(cts.Token))
        {
            if (e is T typed && (match?.Invoke(typed) ?? true))
            {
                return typed;
            }
        }

        throw new InvalidOperationException($"The execution ended without a {typeof(T).Name}.");
    }

    /// <summary>Waits for an execution running in the background to end; the guard only stops a hung test.</summary>
    public static async Task<Core.Persistence.ExecutionRecord> WaitUntilTerminalAsync(Core.Persistence.IExecutionIndex store, string id)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            if (await store.GetExecutionAsync(id, guard.Token) is { IsTerminal: true } record)
            {
                return record;
            }

            await Task.Delay(5, guard.Token);
        }
    }

    public async Task<IReadOnlyList<ExecutionEvent>> LogAsync(string executionId) =>
        await Runtime.Store.ReadAsync(executionId, 1, CancellationToken.None);

    public void Dispose() => Runtime.Dispose();
}
