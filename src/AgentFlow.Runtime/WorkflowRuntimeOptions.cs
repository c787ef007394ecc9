using AgentFlow.Core.Events;

namespace AgentFlow.Runtime;

/// <summary>Configuration of a <see cref="WorkflowRuntime"/>.</summary>
public sealed record WorkflowRuntimeOptions
{
    /// <summary>
    /// Where logs are kept; an in-memory log store when null. Give an <see cref="Core.Persistence.IWorkflowStore"/>
    /// (SQLite, PostgreSQL, or the in-memory one) for durable executions: definitions are then saved on start, signals
    /// go through its inbox, and a <see cref="Hosting.WorkflowHost"/> can lease, resume and recover executions.
    /// </summary>
    public IEventStore? Store { get; init; }

    /// <summary>Node executors; the built-ins when null.</summary>
    public NodeExecutorRegistry? Registry { get; init; }

    /// <summary>The clock for timestamps, timers, retries and timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// At most this many node attempts run at once across the whole runtime. Local nodes (<see cref="Executors.ILocalNode"/>:
    /// noop, transform, FlowGram's start/end/loop parts, ...) compute on their execution's loop and take no slot.
    /// </summary>
    public int MaxConcurrentNodes { get; init; } = 64;

    /// <summary>Creates execution ids; a random GUID when null.</summary>
    public Func<string>? IdGenerator { get; init; }

    /// <summary>Handed to executors as <see cref="Core.Nodes.NodeContext.Services"/>.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>Told of every batch of events recorded (telemetry); none when null.</summary>
    public IExecutionObserver? Observer { get; init; }
}
