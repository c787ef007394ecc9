namespace AgentFlow.Stores.Postgres;

/// <summary>How to open a <see cref="PostgresWorkflowStore"/>.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Port=5432;Username=agentflow;Password=…;Database=agentflow</c>.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// The schema holding the store's tables (created if missing). Lowercase letters, digits and underscores, at most
    /// 40 characters; several stores can share one database under different schemas.
    /// </summary>
    public string Schema { get; init; } = "agentflow";

    /// <summary>The clock for lease expiry, due timers, saved-at times and notification timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
