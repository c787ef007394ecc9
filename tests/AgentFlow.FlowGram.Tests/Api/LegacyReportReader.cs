using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Values;
using AgentFlow.FlowGram.Execution;
using AgentFlow.FlowGram.Executors;
using AgentFlow.FlowGram.Nodes;
using AgentFlow.FlowGram.Api;
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Tests.Api;

/// <summary>
/// The report reader as it was before reports were written as one JSON text (each value converted to a JSON node on
/// its own): kept only so tests can prove the current reader gives the same reports. Derives a task's report (§3.8) from its event log alone, so it works for an execution another process runs, after
/// a restart, or from a SQLite/PostgreSQL store. A loop's iterations (child executions of its node) fold into the
/// reports of the body's nodes (logs from when a loop was three engine nodes read the same); times are epoch
/// milliseconds.
/// </summary>
internal sealed class LegacyReportReader
{
    private const string ForSuffix = "__for";
    private const string OutSuffix = "__out";
    private const string MapPart = "map";
    private static readonly string[] MessageTypes = ["log", "info", "debug", "error", "warning"];

    // What Value.ToJson writes with: the same bytes, so the same nodes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // What a block node that declares no inputs or outputs records.
    private static readonly Value UnrecordedOutput = Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject), ("vars", Value.EmptyObject));

    private readonly IEventStore _store;
    private readonly Dictionary<string, NodeReport> _reports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _current = new(StringComparer.Ordinal);
    private readonly HashSet<string> _loops = new(StringComparer.Ordinal);
    private readonly HashSet<string> _threeNodeLoops = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Value Start, Value End)> _unrecordedBlocks = new(StringComparer.Ordinal);
    private readonly Dictionary<JsonObject, Value> _unresolved = new(ReferenceEqualityComparer.Instance);
    private readonly JsonArray _errors = [];
    private JsonObject _outputs = [];

    private LegacyReportReader(IEventStore store) => _store = store;

    /// <summary>The report, or null when the store has no log for <paramref name="executionId"/>.</summary>
    public static async Task<JsonObject?> ReadAsync(IEventStore store, string executionId, TimeProvider time, CancellationToken cancellationToken)
    {
        var events = await store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0 || events[0] is not ExecutionStarted started)
        {
            return null;
        }

        var reader = new LegacyReportReader(store);
        var workflow = new NodeReport { StartTime = Ms(started.Timestamp) };
        await reader.FoldAsync(events, cancellationToken).ConfigureAwait(false);
        foreach (var (snapshot, parameters) in reader._unresolved)
        {
            // Still running or cancelled: the reference shows the inputs resolved when the node started.
            if (StartInputs(parameters) is { } inputs)
            {
                snapshot["inputs"] = inputs;
            }
        }

        switch (events[^1])
        {
            case ExecutionCompleted e:
                workflow.Finish(FlowGramStatus.Succeeded, e.Timestamp);
                break;
            case ExecutionFailed e:
                if (e.NodeId is null && e.Error.Code != FlowGramErrors.Invalid)
                {
                    reader.AddError(e.Error.Message, null, e.Timestamp);
                }

                workflow.Finish(FlowGramStatus.Failed, e.Timestamp);
                break;
            case ExecutionCancelled e:
                workflow.Finish(FlowGramStatus.Canceled, e.Timestamp);
                break;
            default:
                break;
        }

        if (reader.Invalid)
        {
            // A task that failed validation never started (§3.1).
            workflow.StartTime = null;
        }

        var now = Ms(time.GetUtcNow());
        var reports = new JsonObject();
        foreach (var (id, report) in reader._reports)
        {
            var json = report.ToJson(now);
            json.Insert(0, "id", id);
            json["snapshots"] = new JsonArray([.. report.Snapshots]);
            reports[id] = json;
        }

        var messages = new JsonObject();
        foreach (var type in MessageTypes)
        {
            messages[type] = type == "error" ? reader._errors : new JsonArray();
        }

        return new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["inputs"] = VariableCodec.ToJsonObject(started.Inputs),
            ["outputs"] = reader._outputs,
            ["workflowStatus"] = workflow.ToJson(now),
            ["reports"] = reports,
            ["messages"] = messages,
        };
    }

    /// <summary>
    /// The result (§3.9) without building the report: the outputs of the last top-level end node that succeeded, once
    /// the execution has ended; null while it runs or when the store has no log. Reads only the task's own log.
    /// </summary>
    public static async Task<JsonObject?> ResultAsync(IEventStore store, string executionId, CancellationToken cancellationToken)
    {
        var events = await store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0 || events[0] is not ExecutionStarted || events[^1] is not (ExecutionCompleted or ExecutionFailed or ExecutionCancelled))
        {
            return null;
        }

        HashSet<string>? ends = null;
        var outputs = Value.Null;
        foreach (var e in events)
        {
            switch (e)
            {
                case NodeStarted started when started.Parameters["node"] is { Kind: ValueKind.Object } raw && raw["type"] is { Kind: ValueKind.String } type && type.AsString() == "end":
                    (ends ??= new(StringComparer.Ordinal)).Add(started.NodeId);
                    break;
                case NodeSucceeded succeeded when ends?.Contains(succeeded.NodeId) == true:
                    outputs = EndOutputs(succeeded.Output);
                    break;
                case NodeFailed { WillRetry: false } failed when failed.Error.Code == FlowGramErrors.AfterSuccess && ends?.Contains(failed.NodeId) == true:
                    outputs = EndOutputs(failed.Error.Details["output"]);
                    break;
                default:
                    break;
            }
        }

        return ToJson(outputs) as JsonObject ?? [];
    }

    /// <summary>An end node's outputs as <see cref="OnSucceeded"/> records them (a non-object output has none).</summary>
    private static Value EndOutputs(Value output) => output.Kind == ValueKind.Object ? output["outputs"] : Value.EmptyObject;

    private bool Invalid { get; set; }

    private async Task FoldAsync(IReadOnlyList<ExecutionEvent> events, CancellationToken cancellationToken)
    {
        var executionId = events[0].ExecutionId;
        foreach (var e in events)
        {
            switch (e)
            {
                case NodeStarted started:
                    OnStarted(started);
                    break;
                case NodeSucceeded succeeded:
                    await ExpandAsync(executionId, succeeded.NodeId, succeeded.Attempt, cancellationToken).ConfigureAwait(false);
                    OnSucceeded(succeeded.ExecutionId, succeeded.NodeId, succeeded.Output, succeeded.Timestamp);
                    break;
                case NodeFailed { WillRetry: false } failed:
                    await ExpandAsync(executionId, failed.NodeId, failed.Attempt, cancellationToken).ConfigureAwait(false);
                    OnFailed(failed);
                    break;
                case NodeCancelled cancelled:
                    await ExpandAsync(executionId, cancelled.NodeId, cancelled.Attempt, cancellationToken).ConfigureAwait(false);
                    _reports.GetValueOrDefault(IdOf(cancelled.NodeId, out _))?.Finish(FlowGramStatus.Canceled, cancelled.Timestamp);
                    break;
                default:
                    break;
            }
        }

        // A loop still running: show the iterations so far.
        foreach (var e in events.OfType<NodeStarted>())
        {
            await ExpandAsync(executionId, e.NodeId, e.Attempt, cancellationToken).ConfigureAwait(false);
        }
    }

    private void OnStarted(NodeStarted e)
    {
        var parameters = e.Parameters;
        if (parameters["errors"] is { Kind: ValueKind.Array } && parameters["node"].IsNull)
        {
            Invalid = true;
            return;
        }

        var raw = parameters["node"];
        if (raw.IsNull)
        {
            // Not a FlowGram node of the schema: nothing to report.
            return;
        }

        var id = raw["id"].AsString();
        if (raw["type"] is { Kind: ValueKind.String } type && type.AsString() == "loop")
        {
            if (e.NodeId != id)
            {
                // A log from when a loop was three engine nodes: its report begins with <id>__for, not <id>__out.
                if (!e.NodeId.EndsWith(ForSuffix, StringComparison.Ordinal))
                {
                    return;
                }

                _threeNodeLoops.Add(id);
            }

            _loops.Add(id);
            if (parameters[LoopExecutor.UnrecordedBlockStart] is { Kind: ValueKind.Object } blockStart)
            {
                _unrecordedBlocks[id] = (blockStart, parameters[LoopExecutor.UnrecordedBlockEnd]);
            }
        }
        else if (raw["type"] is { Kind: ValueKind.String } end && end.AsString() == "end")
        {
            _ends.Add(id);
        }

        if (!_reports.TryGetValue(id, out var report))
        {
            _reports[id] = report = new NodeReport();
        }

        report.Status = FlowGramStatus.Processing;
        report.StartTime = Ms(e.Timestamp);
        report.EndTime = null;
        var snapshot = new JsonObject { ["id"] = $"{e.ExecutionId}:{e.Sequence.ToString(CultureInfo.InvariantCulture)}", ["nodeID"] = id, ["data"] = Remainder(raw["data"]) };
        report.Snapshots.Add(snapshot);
        _current[Key(e.ExecutionId, id)] = snapshot;
        _unresolved[snapshot] = parameters;
    }

    private void OnSucceeded(string executionId, string nodeId, Value output, DateTimeOffset at)
    {
        var id = IdOf(nodeId, out var part);
        if (!_reports.TryGetValue(id, out var report) || !_current.TryGetValue(Key(executionId, id), out var snapshot))
        {
            return;
        }

        _unresolved.Remove(snapshot);
        switch (part)
        {
            case ForSuffix:
                snapshot["inputs"] = ToJson(output["inputs"]);
                return;
            case MapPart:
                return;
            default:
                break;
        }

        if (output.Kind != ValueKind.Object)
        {
            // break and continue (built-in control nodes): no inputs, no outputs of their own.
            output = Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject));
        }

        if (part is null)
        {
            snapshot["inputs"] = ToJson(output["inputs"]);
        }

        snapshot["outputs"] = ToJson(output["outputs"]);
        if (output["branch"] is { Kind: ValueKind.String } branch)
        {
            snapshot["branch"] = branch.AsString();
        }

        if (_ends.Contains(id) && !executionId.Contains('/', StringComparison.Ordinal))
        {
            _outputs = ToJson(output["outputs"]) as JsonObject ?? [];
        }

        report.Finish(FlowGramStatus.Succeeded, at);
    }

    private void OnFailed(NodeFailed e)
    {
        var id = IdOf(e.NodeId, out _);
        var error = e.Error;
        if (error.Code == FlowGramErrors.Invalid)
        {
            foreach (var text in error.Details["errors"].AsArray())
            {
                AddError(text.AsString(), null, e.Timestamp);
            }

            return;
        }

        if (error.Code == FlowGramErrors.AfterSuccess)
        {
            OnSucceeded(e.ExecutionId, e.NodeId, error.Details["output"], e.Timestamp);
            if (error.Details["reported"].IsTruthy && _current.TryGetValue(Key(e.ExecutionId, id), out var done))
            {
                done["error"] = error.Message;
                AddError(error.Message, id, e.Timestamp);
            }

            return;
        }

        // An iteration failed (the runtime's map.item error): the reference reports only that the block failed.
        var message = error.Code == "map.item" && _loops.Contains(id) ? "Loop block execute error" : error.Message;
        if (_current.TryGetValue(Key(e.ExecutionId, id), out var snapshot))
        {
            _unresolved.Remove(snapshot);
            if (error.Details["inputs"] is { Kind: ValueKind.Object } inputs && !snapshot.ContainsKey("inputs"))
            {
                snapshot["inputs"] = ToJson(inputs);
            }

            snapshot["error"] = message;
        }

        AddError(message, _reports.ContainsKey(id) ? id : null, e.Timestamp);
        _reports.GetValueOrDefault(id)?.Finish(FlowGramStatus.Failed, e.Timestamp);
    }

    /// <summary>
    /// The FlowGram node id of a recorded node id. Logs written when a loop was three engine nodes (<c>&lt;id&gt;__for</c>,
    /// the map <c>&lt;id&gt;</c>, <c>&lt;id&gt;__out</c>) still read as before: <paramref name="part"/> then names the part.
    /// </summary>
    private string IdOf(string nodeId, out string? part)
    {
        part = null;
        if (_threeNodeLoops.Count == 0)
        {
            return nodeId;
        }

        if (_threeNodeLoops.Contains(nodeId))
        {
            part = MapPart;
            return nodeId;
        }

        foreach (var suffix in (ReadOnlySpan<string>)[ForSuffix, OutSuffix])
        {
            if (nodeId.EndsWith(suffix, StringComparison.Ordinal) && _threeNodeLoops.Contains(nodeId[..^suffix.Length]))
            {
                part = suffix;
                return nodeId[..^suffix.Length];
            }
        }

        return nodeId;
    }

    /// <summary>Folds the iterations of a loop (its node's child executions) in, once, before the loop's own end.</summary>
    private async Task ExpandAsync(string executionId, string nodeId, int attempt, CancellationToken cancellationToken)
    {
        if (!_loops.Contains(nodeId) || !_expanded.Add(Key(executionId, nodeId)))
        {
            return;
        }

        for (var index = 0; ; index++)
        {
            var childId = string.Create(CultureInfo.InvariantCulture, $"{executionId}/{nodeId}/{attempt}/{index}");
            var events = await _store.ReadAsync(childId, 1, cancellationToken).ConfigureAwait(false);
            if (events.Count == 0)
            {
                return;
            }

            if (_unrecordedBlocks.TryGetValue(nodeId, out var blocks))
            {
                // The block nodes the body does not run: as if they ran first, at the iteration's start. Their snapshot
                // ids take sequences no node event has (0, and 1 of the execution's start).
                ReadOnlySpan<Value> unrun = [blocks.Start, blocks.End];
                for (var i = 0; i < unrun.Length; i++)
                {
                    if (unrun[i].Kind == ValueKind.Object)
                    {
                        var at = events[0].Timestamp;
                        OnStarted(new NodeStarted(childId, i, at, unrun[i]["id"].AsString(), 1, Value.Object(("node", unrun[i]))));
                        OnSucceeded(childId, unrun[i]["id"].AsString(), UnrecordedOutput, at);
                    }
                }
            }

            await FoldAsync(events, cancellationToken).ConfigureAwait(false);
        }
    }

    private void AddError(string message, string? nodeId, DateTimeOffset at)
    {
        var json = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["type"] = "error", ["message"] = message };
        if (nodeId is not null)
        {
            json["nodeID"] = nodeId;
        }

        json["timestamp"] = Ms(at);
        _errors.Add(json);
    }

    /// <summary>
    /// A stored value as the JSON node <c>JsonNode.Parse(value.ToJson())</c> gives, parsed from the UTF-8 the value writes
    /// rather than from a string of it (no text to build and transcode back).
    /// </summary>
    internal static JsonNode? ToJson(Value value)
    {
        if (value.IsNull)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            value.WriteTo(writer);
        }

        return JsonNode.Parse(buffer.WrittenSpan);
    }

    /// <summary>The snapshot <c>data</c>: the node's data without title, inputsValues, inputs and outputs (§3.7).</summary>
    private static JsonObject Remainder(Value data)
    {
        var result = new JsonObject();
        if (data.Kind == ValueKind.Object)
        {
            foreach (var (key, value) in data.AsObject())
            {
                if (key is not ("title" or "inputsValues" or "inputs" or "outputs"))
                {
                    result[key] = ToJson(value);
                }
            }
        }

        return result;
    }

    /// <summary>The inputs a node resolved when it started, from its recorded parameters; null when resolution fails.</summary>
    private static JsonNode? StartInputs(Value parameters)
    {
        var node = FlowDocument.CreateNode(VariableCodec.ObjectFromValue(parameters["node"]), null);
        var store = VariableCodec.Store(parameters["refs"]);
        try
        {
            var inputs = FlowValues.ParseInputs(node.Inputs, node.InputsValues, store);
            if (node.Type == "http")
            {
                try
                {
                    inputs = HttpExecutor.SnapshotInputs(node.Data, store);
                }
                catch (FlowGramException)
                {
                    // The request could not be built: the snapshot keeps the node's own inputs, as in the reference.
                }
            }

            return Js.ToJson(inputs);
        }
        catch (FlowGramException)
        {
            return null;
        }
    }

    private static string Key(string executionId, string nodeId) => executionId + "\n" + nodeId;

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private sealed class NodeReport
    {
        public string Status { get; set; } = FlowGramStatus.Processing;

        public long? StartTime { get; set; }

        public long? EndTime { get; set; }

        public List<JsonObject> Snapshots { get; } = [];

        public void Finish(string status, DateTimeOffset at)
        {
            Status = status;
            EndTime = Ms(at);
        }

        public JsonObject ToJson(long now)
        {
            var result = new JsonObject { ["status"] = Status, ["terminated"] = FlowGramStatus.IsTerminal(Status) };
            if (StartTime is { } start)
            {
                result["startTime"] = start;
            }

            if (EndTime is { } end)
            {
                result["endTime"] = end;
            }

            result["timeCost"] = StartTime is null ? 0 : (EndTime ?? now) - StartTime.Value;
            return result;
        }
    }
}
