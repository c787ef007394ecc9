using AgentFlow.Core.Persistence;
using AgentFlow.FlowGram.Api;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;
using AgentFlow.Server.Observability;
using AgentFlow.Stores.Postgres;
using AgentFlow.Stores.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFlow.Server.Hosting;

/// <summary>
/// Owns the store, the runtime and the durable host for the server's lifetime. It opens the store before the server
/// listens, recovers unfinished executions (the host claims those nobody owns), and after the server has stopped
/// accepting requests detaches every running execution and releases its leases, so the next start resumes them.
/// </summary>
internal sealed partial class RuntimeService(ServerOptions options, ExecutionTelemetry telemetry, ILogger<RuntimeService> logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private HttpClient? _http;
    private IWorkflowStore? _store;
    private WorkflowRuntime? _runtime;
    private WorkflowHost? _host;
    private FlowGramTaskApi? _flowGram;
    private Task? _worker;
    private int _stopped;

    /// <summary>The store; valid once the server has started.</summary>
    public IWorkflowStore Store => _store ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The runtime executions run in.</summary>
    public WorkflowRuntime Runtime => _runtime ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>FlowGram's task API; its tasks are durable executions of <see cref="Host"/>.</summary>
    public FlowGramTaskApi FlowGram => _flowGram ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The durable host (leases, resume, cancel across processes).</summary>
    public WorkflowHost Host => _host ?? throw new InvalidOperationException("The server has not started.");

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        _store = options.Store ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
        _http = new HttpClient();
        var registry = StandardNodes.CreateRegistry(_http);
        options.ConfigureNodes?.Invoke(registry);
        _runtime = new WorkflowRuntime(new WorkflowRuntimeOptions
        {
            Store = _store,
            Registry = registry,
            MaxConcurrentNodes = Math.Max(1, options.MaxConcurrentNodes),
            TimeProvider = options.TimeProvider,
            Observer = telemetry,
        });
        _host = new WorkflowHost(_runtime, new WorkflowHostOptions
        {
            OwnerId = options.OwnerId,
            LeaseDuration = options.LeaseDuration,
            PollInterval = options.PollInterval,
            Catalog = options.Catalog,
            DefinitionLoaders = FlowGramTaskApi.HostDefinitionLoaders,
            Log = line => LogHost(logger, line),
        });
        // Before the host resumes anything: the task API registers FlowGram's node kinds in the runtime's registry.
        _flowGram = new FlowGramTaskApi(_host, _http);
        _worker = _host.RunAsync(_stopping.Token);
        LogStarted(logger, options.StoreDescription, _host.OwnerId);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs after the web server has stopped accepting requests.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_worker is not null)
        {
            await _worker.ConfigureAwait(false);
        }

        if (_host is not null)
        {
            var running = _host.Runtime.ActiveExecutionIds.Count;
            await _host.DisposeAsync().ConfigureAwait(false);
            LogDetached(logger, running);
        }

        _runtime?.Dispose();
        _http?.Dispose();
        if (options.Store is null && _store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _http?.Dispose();
    }

    private async Task<IWorkflowStore> OpenAsync(CancellationToken cancellationToken)
    {
        if (options.PostgresConnectionString is { } connectionString)
        {
            var postgres = await PostgresWorkflowStore.OpenAsync(new PostgresStoreOptions { ConnectionString = connectionString, Schema = options.PostgresSchema, TimeProvider = options.TimeProvider }, cancellationToken).ConfigureAwait(false);
            await postgres.StartListeningAsync(cancellationToken).ConfigureAwait(false);
            return postgres;
        }

        return await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(options.DatabasePath) { TimeProvider = options.TimeProvider }, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "AgentFlow store: {Store}; lease owner {Owner}")]
    private static partial void LogStarted(ILogger logger, string store, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Detached {Count} running execution(s); they resume on the next start")]
    private static partial void LogDetached(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "host: {Line}")]
    private static partial void LogHost(ILogger logger, string line);
}
