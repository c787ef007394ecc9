using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Nodes;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Validation;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Api;

/// <summary>
/// FlowGram's task API (<c>TaskRun</c>, <c>TaskReport</c>, <c>TaskResult</c>, <c>TaskCancel</c>, <c>TaskValidate</c>,
/// §4.1) in process, with the reference's shapes, so an HTTP host can map routes onto it one to one. Tasks are kept
/// for the lifetime of the instance, as in the reference.
/// </summary>
public sealed class FlowGramTaskApi : IDisposable
{
    private readonly ConcurrentDictionary<string, FlowTask> _tasks = new(StringComparer.Ordinal);
    private readonly FlowEngine _engine;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;

    /// <summary>Creates the API; the HTTP client is used by http and llm nodes and is owned by the caller.</summary>
    public FlowGramTaskApi(HttpClient http, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _time = time ?? TimeProvider.System;
        _engine = new FlowEngine(FlowGramExecutors.Create(_http, new CodeRunner()));
    }

    /// <summary>Starts a task and returns its id; validation failures still create a (failed) task (§3.1).</summary>
    /// <exception cref="FlowGramException">The schema is not JSON or its document cannot be built.</exception>
    public string TaskRun(string schema, JsonObject? inputs)
    {
        var root = ParseSchema(schema);
        var input = Js.FromJson(inputs) as JsObject ?? [];
        var document = FlowDocument.Build(root);
        var task = new FlowTask(Guid.NewGuid().ToString(), input, _time) { Document = document };
        var context = new FlowContext(task, new VariableStore());
        InitGlobals(document, context.Store);
        var errors = SchemaValidator.Validate(root, nested: false);
        if (errors.Count == 0 && InputValidator.Validate(document.Start?.Outputs, input) is { } inputError)
        {
            errors.Add(inputError);
        }

        _tasks[task.Id] = task;
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                task.AddError(error);
            }

            task.FinishWorkflow(FlowGramStatus.Failed);
            return task.Id;
        }

        task.StartWorkflow();
        task.Completion = Task.Run(() => _engine.ProcessAsync(task, context));
        return task.Id;
    }

    /// <summary>The report (§3.8), or null for an unknown task.</summary>
    public JsonObject? TaskReport(string taskId) => _tasks.TryGetValue(taskId, out var task) ? ReportWriter.Write(task) : null;

    /// <summary>The outputs once the task is terminated; null while running or for an unknown task (§3.9).</summary>
    public JsonObject? TaskResult(string taskId)
    {
        if (!_tasks.TryGetValue(taskId, out var task))
        {
            return null;
        }

        var state = task.Read();
        return state.Workflow.Terminated ? Js.ToJson(state.Outputs) as JsonObject ?? [] : null;
    }

    /// <summary>Cancels a task; true for any known task, even a finished one (§3.4).</summary>
    public bool TaskCancel(string taskId)
    {
        if (!_tasks.TryGetValue(taskId, out var task))
        {
            return false;
        }

        task.Cancel();
        return true;
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
            if (InputValidator.Validate(outputs, Js.FromJson(inputs) as JsObject ?? []) is { } inputError)
            {
                errors.Add(inputError);
            }
        }

        return errors.Count == 0 ? new TaskValidateOutput(true, null) : new TaskValidateOutput(false, errors);
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

    /// <summary>Waits until the task's engine work has finished (tests and hosts shutting down).</summary>
    public Task WhenIdleAsync(string taskId, CancellationToken cancellationToken) =>
        _tasks.TryGetValue(taskId, out var task) ? task.Completion.WaitAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Cancels and releases every task.</summary>
    public void Dispose()
    {
        foreach (var task in _tasks.Values)
        {
            task.Cancel();
            task.Dispose();
        }
    }

    private static JsObject ParseSchema(string schema)
    {
        try
        {
            return Js.Parse(schema) as JsObject ?? throw new FlowGramException("Workflow schema must be a valid object");
        }
        catch (JsonException ex)
        {
            throw new FlowGramException(ex.Message, ex);
        }
    }

    private static void InitGlobals(FlowDocument document, VariableStore store)
    {
        if (document.GlobalVariable?.GetValueOrDefault("properties") is not JsObject properties)
        {
            return;
        }

        foreach (var (key, raw) in properties)
        {
            var property = raw as JsObject ?? [];
            var type = property.GetValueOrDefault("type") as string;
            var value = property.TryGetValue("default", out var dflt) ? FlowValues.ParseDeclared(dflt, type) : Js.Undefined;
            var itemsType = (property.GetValueOrDefault("items") as JsObject)?.GetValueOrDefault("type") as string;
            store.Set("global", key, new Variable(value, type, itemsType));
        }
    }
}
