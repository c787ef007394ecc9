using AgentFlow.Core.Definitions;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Observability;
using AgentFlow.Server.Security;
using AgentFlow.Runtime;

namespace AgentFlow.Server;

/// <summary>How an AgentFlow server is set up; the CLI's <c>serve</c> command and the tests build one.</summary>
public sealed record ServerOptions
{
    /// <summary>The default listen address.</summary>
    public const string DefaultUrls = "http://127.0.0.1:4000";

    /// <summary>The default SQLite file, relative to the working directory.</summary>
    public const string DefaultDatabase = "agentflow.db";

    /// <summary>Where to listen; several addresses separated by <c>;</c>.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The SQLite file (created on first start) used when <see cref="PostgresConnectionString"/> is null.</summary>
    public string DatabasePath { get; init; } = DefaultDatabase;

    /// <summary>A PostgreSQL connection string; when set, the server uses PostgreSQL instead of SQLite.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>The PostgreSQL schema holding the store's tables.</summary>
    public string PostgresSchema { get; init; } = "agentflow";

    /// <summary>A store to use as is instead of opening one (tests, embedding); the caller keeps ownership.</summary>
    public IWorkflowStore? Store { get; init; }

    /// <summary>Requests with a larger body are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How long a lease lives without a heartbeat (a crashed server's executions resume elsewhere after this).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the server looks for orphaned executions and signals sent from other processes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often live streams look at the store for events written by other processes when the store does not announce
    /// appends (a custom <see cref="Store"/> without <c>IStoreNotifications</c>); the built-in stores do.
    /// </summary>
    public TimeSpan StreamPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a live stream waits for the store's announcement of an append before it looks at the store anyway:
    /// a bound on the delay a lost announcement (e.g. while the database connection is re-established) can cause.
    /// </summary>
    public TimeSpan StreamSafetyPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>This server's name in leases; machine:pid when null.</summary>
    public string? OwnerId { get; init; }

    /// <summary>At most this many node attempts run at once.</summary>
    public int MaxConcurrentNodes { get; init; } = Environment.ProcessorCount * 16;

    /// <summary>The node kinds workflow documents may use; add kinds here together with <see cref="ConfigureNodes"/>.</summary>
    public NodeKindCatalog Catalog { get; init; } = StandardNodes.Catalog;

    /// <summary>Registers more node executors (beyond <see cref="StandardNodes"/>) for the kinds added to <see cref="Catalog"/>.</summary>
    public Action<NodeExecutorRegistry>? ConfigureNodes { get; init; }

    /// <summary>The clock of the runtime and the store.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A short description of the store, for logs.</summary>
    public string StoreDescription => Store is not null ? "the given store" : PostgresConnectionString is not null ? $"PostgreSQL (schema {PostgresSchema})" : $"SQLite {DatabasePath}";

    /// <summary>API keys, rate limiting and CORS; API keys are required unless turned off on a loopback address.</summary>
    public SecurityOptions Security { get; init; } = new();

    /// <summary>Metrics, traces (OTLP) and execution logs.</summary>
    public ObservabilityOptions Observability { get; init; } = new();
}
