using AgentFlow.Core.Definitions;

namespace AgentFlow.Runtime.Hosting;

/// <summary>Configuration of a <see cref="WorkflowHost"/>.</summary>
public sealed record WorkflowHostOptions
{
    /// <summary>This process's name in leases; the machine name and process id when null.</summary>
    public string? OwnerId { get; init; }

    /// <summary>How long a lease lives without a heartbeat; a crashed owner's executions are picked up after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The safety poll: how often the host looks for claimable executions, due timers and signals even when the store
    /// announced nothing. Announcements (<see cref="Core.Persistence.IStoreNotifications"/>) wake it at once; this
    /// bounds the delay when one is lost, or when the store cannot hear another process (SQLite, in-memory).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// At most this many executions a worker claims while they work. Parked executions (only waiting for a signal or a
    /// timer, no node running) do not count, so a worker can hold many more of those.
    /// </summary>
    public int MaxConcurrentExecutions { get; init; } = 64;

    /// <summary>At most this many claimed executions are loaded and resumed at once.</summary>
    public int MaxConcurrentResumes { get; init; } = 16;

    /// <summary>The node kinds stored definitions are reloaded with.</summary>
    public NodeKindCatalog Catalog { get; init; } = StandardNodes.Catalog;

    /// <summary>Where diagnostics go (one line each); nowhere when null.</summary>
    /// <summary>
    /// Loaders for stored definition formats other than the DSL's (e.g. <c>flowgram</c>), by format name: they turn the
    /// stored source and the execution's inputs back into the definition it started with, so this host can resume
    /// (and retry) executions of those formats too.
    /// </summary>
    public IReadOnlyDictionary<string, Func<Core.Persistence.StoredDefinition, Core.Values.Value, WorkflowDefinition>>? DefinitionLoaders { get; init; }

    public Action<string>? Log { get; init; }
}
