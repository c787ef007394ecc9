using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.Core.Definitions;
using AgentFlow.Core.Persistence;
using AgentFlow.FlowGram.Definitions;
using AgentFlow.FlowGram.Executors;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Validation;
using AgentFlow.FlowGram.Values;
using AgentFlow.Runtime;
using AgentFlow.Runtime.Hosting;

namespace AgentFlow.FlowGram.Api;

/// <summary>
/// FlowGram's task API (<c>TaskRun</c>, <c>TaskReport</c>, <c>TaskResult</c>, <c>TaskCancel</c>, <c>TaskValidate</c>,
/// §4.1) with the reference's shapes, so an HTTP host can map routes onto it one to one. A task is an execution of a
/// <see cref="WorkflowRuntime"/> (the task id is the execution id): reports and results are derived from its event log,
/// so they also work for tasks started by another process or before a restart when the runtime has a durable store.
/// </summary>
/// <remarks>The synchronous methods block on their <c>Async</c> twins; hosts should call the latter.</remarks>
public sealed class FlowGramTaskApi : IDisposable
{
    private readonly bool _ownsRuntime;
    private readonly WorkflowHost? _host;
    private readonly PreparedSchemaCache _schemas = new();

    /// <summary>An API over its own in-memory runtime; the HTTP client is used by http and llm nodes and is owned by the caller.</summary>
    public FlowGramTaskApi(HttpClient http, TimeProvider? time = null)
        : this(new WorkflowRuntime(new WorkflowRuntimeOptions { TimeProvider = time ?? TimeProvider.System }), http) => _ownsRuntime = true;

    /// <summary>
    /// An API over <paramref name="runtime"/> (for example one with a SQLite or PostgreSQL store); the FlowGram node
    /// kinds are registered in its registry, with <paramref name="http"/> for http and llm nodes. The runtime stays the
    /// caller's.
    /// </summary>
    public FlowGramTaskApi(WorkflowRuntime runtime, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(http);
        Runtime = runtime;
        FlowGramNodes.Register(runtime.Registry, http, runtime.TimeProvider);
    }

    /// <summary>
    /// An API whose tasks <paramref name="host"/> starts, so each one holds the host's lease on its store like any
    /// execution it starts (the host's runtime needs a durable store).
    /// </summary>
    public FlowGramTaskApi(WorkflowHost host, HttpClient http)
        : this((host ?? throw new ArgumentNullException(nameof(host))).Runtime, http) => _host = host;

    /// <summary>The runtime tasks run on.</summary>
    public WorkflowRuntime Runtime { get; }

    /// <summary>
    /// Starts a task and returns its id; validation failures still create a (failed) task (§3.1). The task runs on the
    /// calling thread until it first waits (an http, llm or code node, say), so a task of local nodes only (start, end,
    /// loops, conditions, ...) has already ended when this returns.
    /// </summary>
    /// <exception cref="FlowGramException">The schema is not JSON or its document cannot be built.</exception>
    public string TaskRun(string schema, JsonObject? inputs) => TaskRunAsync(schema, inputs, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="TaskRun"/>
    public Task<string> TaskRunAsync(string schema, JsonObject? inputs, CancellationToken cancellationToken) =>
        TaskRunAsync(schema, inputs, null, cancellationToken);

    /// <summary>
    /// Starts a task carrying <paramref name="labels"/> in the store's executions index (when the store keeps one), set
    /// before the id is returned.
    /// </summary>
    /// <exception cref="FlowGramException">The schema is not JSON or its document cannot be built.</exception>
    public Task<string> TaskRunAsync(string schema, JsonObject? inputs, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        var input = Inputs(inputs);
        var (definition, invalid) = _schemas.Get(schema).For(input);
        var options = new StartOptions { ExecutionId = Guid.NewGuid().ToString(), Source = new DefinitionSource(DefinitionFormats.FlowGram, schema), RunInline = true };
        return StartAsync(definition, invalid, input, options, labels, cancellationToken);
    }

    /// <summary>
    /// Starts a task of a FlowGram schema already kept in the store's definitions (format <c>flowgram</c>): the task
    /// records that workflow id and version, so it resumes from them, and nothing is saved again.
    /// </summary>
    /// <param name="taskId">The task id to use instead of a generated one (for example an idempotent start's).</param>
    /// <exception cref="FlowGramException">The schema is not JSON or its document cannot be built.</exception>
    public Task<string> TaskRunAsync(StoredDefinition stored, JsonObject? inputs, IReadOnlyDictionary<string, string>? labels, string? taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var input = Inputs(inputs);
        var (definition, invalid) = _schemas.Get(stored.Source).For(input);
        var options = new StartOptions { ExecutionId = taskId ?? Guid.NewGuid().ToString(), RunInline = true };
        return StartAsync(definition with { Id = stored.WorkflowId, Version = stored.Version }, invalid, input, options, labels, cancellationToken);
    }

    private async Task<string> StartAsync(WorkflowDefinition definition, bool invalid, Core.Values.Value input, StartOptions options, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        var handle = _host is null
            ? await Runtime.StartAsync(definition, input, options, cancellationToken).ConfigureAwait(false)
            : await _host.StartAsync(definition, input, options, cancellationToken).ConfigureAwait(false);
        if (labels is { Count: > 0 } && Runtime.Store is IExecutionIndex index)
        {
            await index.SetLabelsAsync(handle.ExecutionId, labels, cancellationToken).ConfigureAwait(false);
        }

        if (invalid)
        {
            // A task that failed validation is terminal when TaskRun returns, as in the reference.
            await handle.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return handle.ExecutionId;
    }

    /// <summary>The report (§3.8), or null for an unknown task.</summary>
    public JsonObject? TaskReport(string taskId) => TaskReportAsync(taskId, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="TaskReport"/>
    public Task<JsonObject?> TaskReportAsync(string taskId, CancellationToken cancellationToken) =>
        ReportReader.ReadAsync(Runtime.Store, taskId, Runtime.TimeProvider, cancellationToken);

    /// <summary>The outputs once the task is terminated; null while running or for an unknown task (§3.9).</summary>
    public JsonObject? TaskResult(string taskId) => TaskResultAsync(taskId, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="TaskResult"/>
    public Task<JsonObject?> TaskResultAsync(string taskId, CancellationToken cancellationToken) =>
        ReportReader.ResultAsync(Runtime.Store, taskId, cancellationToken);

    /// <summary>Cancels a task; true for any known task, even a finished one (§3.4).</summary>
    public bool TaskCancel(string taskId) => TaskCancelAsync(taskId, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="TaskCancel"/>
    public async Task<bool> TaskCancelAsync(string taskId, CancellationToken cancellationToken)
    {
        if (_host is not null)
        {
            // The host also cancels a task another process owns (through its inbox) or nobody runs any more.
            return await _host.CancelAsync(taskId, cancellationToken).ConfigureAwait(false) != CancelOutcome.Unknown;
        }

        if (await Runtime.CancelAsync(taskId, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        var events = await Runtime.Store.ReadAsync(taskId, 1, cancellationToken).ConfigureAwait(false);
        return events.Count > 0;
    }

    /// <summary>Validates a schema (with nested-block rules) and the inputs (§1.9, §1.10).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Part of the task API instance that HTTP routes map onto.")]
    public TaskValidateOutput TaskValidate(string schema, JsonObject? inputs)
    {
        object? root;
        try
        {
            root = Js.Parse(schema);
        }
        catch (JsonException ex)
        {
            return new TaskValidateOutput(false, [ex.Message]);
        }

        var errors = SchemaValidator.Validate(root, nested: true);
        if (errors.Count == 0)
        {
            var start = ((root as JsObject)?.GetValueOrDefault("nodes") as List<object?>)?.OfType<JsObject>()
                .FirstOrDefault(n => n.GetValueOrDefault("type") as string == "start");
            var outputs = (start?.GetValueOrDefault("data") as JsObject)?.GetValueOrDefault("outputs") as JsObject;
            if (InputValidator.Validate(outputs, Inputs(inputs)) is { } inputError)
            {
                errors.Add(inputError);
            }
        }

        return errors.Count == 0 ? new TaskValidateOutput(true, null) : new TaskValidateOutput(false, errors);
    }

    /// <inheritdoc cref="TaskValidate"/>
    public Task<TaskValidateOutput> TaskValidateAsync(string schema, JsonObject? inputs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(TaskValidate(schema, inputs));
    }

    /// <summary>The schema errors only (§1.10, nested-block rules included), for tools that check a file without inputs.</summary>
    public static IReadOnlyList<string> ValidateSchema(string schema)
    {
        try
        {
            return SchemaValidator.Validate(Js.Parse(schema), nested: true);
        }
        catch (JsonException ex)
        {
            return [ex.Message];
        }
    }

    /// <summary>
    /// The definition a task runs: the mapped schema, or when the schema or inputs fail validation (TaskRun's rules,
    /// §1.4) a one-node definition that fails with the messages.
    /// </summary>
    /// <exception cref="FlowGramException">The schema is not JSON or its document cannot be built.</exception>
    public static WorkflowDefinition DefinitionFor(string schema, JsonObject? inputs) => PreparedSchema.Build(schema).For(Inputs(inputs)).Definition;

    /// <summary>
    /// The definition a stored FlowGram task runs, rebuilt from its stored schema and its inputs (the task's
    /// <c>ExecutionStarted</c> inputs): what a <see cref="WorkflowHost"/> needs to resume or retry a FlowGram task.
    /// </summary>
    /// <exception cref="FlowGramException">The stored schema no longer builds.</exception>
    public static WorkflowDefinition DefinitionFor(StoredDefinition stored, Core.Values.Value inputs)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return PreparedSchema.Build(stored.Source).For(StoredInputs(inputs)).Definition;
    }

    /// <summary>Loaders for <see cref="WorkflowHostOptions.DefinitionLoaders"/>: the FlowGram format.</summary>
    public static IReadOnlyDictionary<string, Func<StoredDefinition, Core.Values.Value, WorkflowDefinition>> HostDefinitionLoaders { get; } =
        new Dictionary<string, Func<StoredDefinition, Core.Values.Value, WorkflowDefinition>>(StringComparer.Ordinal) { [DefinitionFormats.FlowGram] = DefinitionFor }.AsReadOnly();

    /// <summary>
    /// Continues a task from its stored log in this runtime (after the process that ran it stopped): reloads the schema
    /// the task started with from the store's definitions. Returns false when the task is unknown or already finished.
    /// </summary>
    /// <exception cref="InvalidOperationException">The runtime's store does not keep definitions or the task's is missing.</exception>
    public async Task<bool> ResumeAsync(string taskId, CancellationToken cancellationToken)
    {
        var events = await Runtime.Store.ReadAsync(taskId, 1, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0 || events[0] is not Core.Events.ExecutionStarted started || events[^1] is Core.Events.ExecutionCompleted or Core.Events.ExecutionFailed or Core.Events.ExecutionCancelled)
        {
            return false;
        }

        if (Runtime.Store is not IDefinitionStore definitions)
        {
            throw new InvalidOperationException("The runtime's store does not keep definitions, so a task cannot be resumed from it.");
        }

        var stored = await definitions.GetDefinitionAsync(started.WorkflowId, started.WorkflowVersion, cancellationToken).ConfigureAwait(false);
        if (stored is null || stored.Format != DefinitionFormats.FlowGram)
        {
            throw new InvalidOperationException($"Task '{taskId}': its FlowGram schema (workflow '{started.WorkflowId}' version {started.WorkflowVersion}) is not in the store.");
        }

        var (definition, _) = _schemas.Get(stored.Source).For(StoredInputs(started.Inputs));
        await Runtime.ResumeAsync(definition, taskId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A task's inputs as stored (what converting them to JS values and back gives); none is the empty object.</summary>
    private static Core.Values.Value Inputs(JsonObject? inputs) => inputs is null ? Core.Values.Value.EmptyObject : VariableCodec.FromJson(inputs);

    /// <summary>Recorded inputs as a run checks them: an object (what they always are), else the empty object.</summary>
    private static Core.Values.Value StoredInputs(Core.Values.Value inputs) =>
        inputs.Kind == Core.Values.ValueKind.Object ? VariableCodec.ToValue(VariableCodec.FromValue(inputs)) : Core.Values.Value.EmptyObject;

    /// <summary>Waits until the task ends in this runtime (tests and hosts shutting down); at once when it does not run here.</summary>
    public Task WhenIdleAsync(string taskId, CancellationToken cancellationToken) =>
        Runtime.GetHandle(taskId) is { } handle ? handle.Completion.WaitAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Releases the runtime when this API created it.</summary>
    public void Dispose()
    {
        if (_ownsRuntime)
        {
            Runtime.Dispose();
        }
    }
}
