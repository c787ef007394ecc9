using AgentFlow.Core.Definitions;

namespace AgentFlow.Runtime.Hosting;

/// <summary>Configuration of a <see cref="WorkflowHost"/>.</summary>
public sealed record WorkflowHostOptions
{
    /// <summary>This process's name in leases; the machine name and process id when null.</summary>
    public string? OwnerId { get; init; }

    /// <summary>How long a lease lives without a heartbeat; a crashed owner's executions are picked up after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker looks for orphaned executions and signals sent from other processes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many executions a worker runs at once.</summary>
    public int MaxConcurrentExecutions { get; init; } = 64;

    /// <summary>The node kinds stored definitions are reloaded with.</summary>
    public NodeKindCatalog Catalog { get; init; } = StandardNodes.Catalog;

    /// <summary>Where diagnostics go (one line each); nowhere when null.</summary>
    public Action<string>? Log { get; init; }
}
