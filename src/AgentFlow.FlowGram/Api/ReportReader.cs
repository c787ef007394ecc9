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
using AgentFlow.FlowGram.Schema;
using AgentFlow.FlowGram.Values;

namespace AgentFlow.FlowGram.Api;

/// <summary>
/// Derives a task's report (§3.8) from its event log alone, so it works for an execution another process runs, after
/// a restart, or from a SQLite/PostgreSQL store. A loop's iterations (child executions of its node) fold into the
/// reports of the body's nodes (logs from when a loop was three engine nodes read the same); times are epoch
/// milliseconds. The fold keeps the recorded values and writes the whole report as JSON once at the end, parsed back
/// into one lazily materialised tree: no value is converted to a JSON node on its own.
/// </summary>
internal sealed class ReportReader
{
    private const string ForSuffix = "__for";
    private const string OutSuffix = "__out";
    private const string MapPart = "map";
    private static readonly string[] MessageTypes = ["log", "info", "debug", "error", "warning"];

    // What Value.ToJson writes with: the same bytes, so the same nodes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The report's text is only parsed back (which escapes strings anew when written out): the writer need not check
    // its own nesting.
    private static readonly JsonWriterOptions ReportWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // The report nests recorded values a few levels down: read back as deep as the writer may write.
    private static readonly JsonDocumentOptions ReportParseOptions = new() { MaxDepth = 1000 };

    // What a block node that declares no inputs or outputs records.
    private static readonly Value UnrecordedOutput = Value.Object(("inputs", Value.EmptyObject), ("outputs", Value.EmptyObject), ("vars", Value.EmptyObject));

    private readonly IEventStore _store;
    private readonly Dictionary<string, NodeReport> _reports = new(StringComparer.Ordinal);
    // Keyed by (execution, node) without building a string per event.
    private readonly Dictionary<(string Execution, string Node), Snapshot> _current = [];
    private readonly HashSet<string> _loops = new(StringComparer.Ordinal);
    private readonly HashSet<string> _threeNodeLoops = new(StringComparer.Ordinal);
    private readonly HashSet<(string Execution, string Node)> _expanded = [];
    private readonly HashSet<string> _ends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Value Start, Value End)> _unrecordedBlocks = new(StringComparer.Ordinal);
    private readonly JsonArray _errors = [];
    private Value _outputs = Value.EmptyObject;

    private ReportReader(IEventStore store) => _store = store;

    /// <summary>The report, or null when the store has no log for <paramref name="executionId"/>.</summary>
    public static async Task<JsonObject?> ReadAsync(IEventStore store, string executionId, TimeProvider time, CancellationToken cancellationToken)
    {
        var events = await store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0 || events[0] is not ExecutionStarted started)
        {
            return null;
        }

        var reader = new ReportReader(store);
        var workflow = new NodeReport { StartTime = Ms(started.Timestamp) };
        await reader.FoldAsync(events, cancellationToken).ConfigureAwait(false);
        foreach (var report in reader._reports.Values)
        {
            foreach (var snapshot in report.Snapshots)
            {
                // Still running or cancelled: the reference shows the inputs resolved when the node started.
                if (snapshot.Unresolved is { } parameters && StartInputs(parameters) is { } inputs)
                {
                    snapshot.Set("inputs", inputs);
                }
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
        // Sized from the snapshots, so the buffer rarely grows (each growth copies into a new, zeroed array).
        var snapshots = 0;
        foreach (var report in reader._reports.Values)
        {
            snapshots += report.Snapshots.Count;
        }

        var buffer = new ArrayBufferWriter<byte>(2048 + (snapshots * 400));
        using (var writer = new Utf8JsonWriter(buffer, ReportWriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", Guid.NewGuid().ToString());
            writer.WritePropertyName("inputs");
            VariableCodec.ToJsonObject(started.Inputs).WriteTo(writer);
            writer.WritePropertyName("outputs");
            reader._outputs.WriteTo(writer);
            writer.WritePropertyName("workflowStatus");
            workflow.WriteTo(writer, null, now);
            writer.WriteStartObject("reports");
            foreach (var (id, report) in reader._reports)
            {
                writer.WritePropertyName(id);
                report.WriteTo(writer, id, now);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("messages");
            foreach (var type in MessageTypes)
            {
                writer.WritePropertyName(type);
                if (type == "error")
                {
                    reader._errors.WriteTo(writer);
                }
                else
                {
                    writer.WriteStartArray();
                    writer.WriteEndArray();
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        // One parse of the whole text: the tree materialises only the parts a caller touches; written out again, it
        // gives the same JSON the report's nodes would. The document reads the buffer in place and is not disposed: the
        // returned nodes read from it for as long as the caller holds them (its pooled index is then left to the GC).
#pragma warning disable CA2000
        var document = JsonDocument.Parse(buffer.WrittenMemory, ReportParseOptions);
#pragma warning restore CA2000
        return JsonObject.Create(document.RootElement)!;
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
                // As the parameters a block node that ran would record, built once for every iteration.
                _unrecordedBlocks[id] = (Value.Object(("node", blockStart)), parameters[LoopExecutor.UnrecordedBlockEnd] is { Kind: ValueKind.Object } blockEnd ? Value.Object(("node", blockEnd)) : Value.Null);
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
        var snapshot = new Snapshot(e.ExecutionId, e.Sequence, id, raw["data"]) { Unresolved = parameters };
        report.Snapshots.Add(snapshot);
        _current[Key(e.ExecutionId, id)] = snapshot;
    }

    private void OnSucceeded(string executionId, string nodeId, Value output, DateTimeOffset at)
    {
        var id = IdOf(nodeId, out var part);
        if (!_reports.TryGetValue(id, out var report) || !_current.TryGetValue(Key(executionId, id), out var snapshot))
        {
            return;
        }

        snapshot.Unresolved = null;
        switch (part)
        {
            case ForSuffix:
                snapshot.Set("inputs", output["inputs"]);
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
            snapshot.Set("inputs", output["inputs"]);
        }

        snapshot.Set("outputs", output["outputs"]);
        if (output["branch"] is { Kind: ValueKind.String } branch)
        {
            snapshot.Set("branch", branch.AsString());
        }

        if (_ends.Contains(id) && !executionId.Contains('/', StringComparison.Ordinal))
        {
            _outputs = output["outputs"] is { Kind: ValueKind.Object } outputs ? outputs : Value.EmptyObject;
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
                done.Set("error", error.Message);
                AddError(error.Message, id, e.Timestamp);
            }

            return;
        }

        // An iteration failed (the runtime's map.item error): the reference reports only that the block failed.
        var message = error.Code == "map.item" && _loops.Contains(id) ? "Loop block execute error" : error.Message;
        if (_current.TryGetValue(Key(e.ExecutionId, id), out var snapshot))
        {
            snapshot.Unresolved = null;
            if (error.Details["inputs"] is { Kind: ValueKind.Object } inputs && !snapshot.Has("inputs"))
            {
                snapshot.Set("inputs", inputs);
            }

            snapshot.Set("error", message);
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
                        var id = unrun[i]["node"]["id"].AsString();
                        OnStarted(new NodeStarted(childId, i, at, id, 1, unrun[i]));
                        OnSucceeded(childId, id, UnrecordedOutput, at);
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

    /// <summary>Writes the snapshot <c>data</c>: the node's data without title, inputsValues, inputs and outputs (§3.7).</summary>
    private static void WriteRemainder(Utf8JsonWriter writer, Value data)
    {
        writer.WriteStartObject();
        if (data.Kind == ValueKind.Object)
        {
            foreach (var (key, value) in data.AsObject())
            {
                if (key is not ("title" or "inputsValues" or "inputs" or "outputs"))
                {
                    writer.WritePropertyName(key);
                    value.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
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

    private static (string Execution, string Node) Key(string executionId, string nodeId) => (executionId, nodeId);

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private sealed class NodeReport
    {
        public string Status { get; set; } = FlowGramStatus.Processing;

        public long? StartTime { get; set; }

        public long? EndTime { get; set; }

        public List<Snapshot> Snapshots { get; } = [];

        public void Finish(string status, DateTimeOffset at)
        {
            Status = status;
            EndTime = Ms(at);
        }

        /// <summary>Writes the status object; with an <paramref name="id"/>, a node's report with its snapshots.</summary>
        public void WriteTo(Utf8JsonWriter writer, string? id, long now)
        {
            writer.WriteStartObject();
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteString("status", Status);
            writer.WriteBoolean("terminated", FlowGramStatus.IsTerminal(Status));
            if (StartTime is { } start)
            {
                writer.WriteNumber("startTime", start);
            }

            if (EndTime is { } end)
            {
                writer.WriteNumber("endTime", end);
            }

            writer.WriteNumber("timeCost", StartTime is null ? 0 : (EndTime ?? now) - StartTime.Value);
            if (id is not null)
            {
                writer.WriteStartArray("snapshots");
                foreach (var snapshot in Snapshots)
                {
                    snapshot.WriteTo(writer);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }
    }

    /// <summary>
    /// One run of a node as recorded: written only when the report is, its fields in the order they were first set
    /// (the order a JSON object keeps), a later set replacing the value in place.
    /// </summary>
    private sealed class Snapshot(string executionId, long sequence, string nodeId, Value data)
    {
        // A field's value: a recorded Value, a string, or a JSON node (inputs resolved when the report is read).
        private readonly List<KeyValuePair<string, object?>> _fields = new(4);

        /// <summary>The node's start parameters while nothing has resolved its inputs (running or cancelled).</summary>
        public Value? Unresolved { get; set; }

        public bool Has(string key) => IndexOf(key) >= 0;

        public void Set(string key, Value value) => Set(key, (object?)value);

        public void Set(string key, string value) => Set(key, (object?)value);

        public void Set(string key, JsonNode value) => Set(key, (object?)value);

        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            WriteId(writer);
            writer.WriteString("nodeID", nodeId);
            writer.WritePropertyName("data");
            WriteRemainder(writer, data);
            foreach (var (key, field) in _fields)
            {
                writer.WritePropertyName(key);
                switch (field)
                {
                    case Value value:
                        value.WriteTo(writer);
                        break;
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case JsonNode node:
                        node.WriteTo(writer);
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }
            }

            writer.WriteEndObject();
        }

        private void WriteId(Utf8JsonWriter writer)
        {
            // "<execution>:<sequence>" without building the string.
            var length = executionId.Length + 21;
            Span<char> chars = length <= 256 ? stackalloc char[length] : new char[length];
            executionId.CopyTo(chars);
            chars[executionId.Length] = ':';
            sequence.TryFormat(chars[(executionId.Length + 1)..], out var written, default, CultureInfo.InvariantCulture);
            writer.WriteStringValue(chars[..(executionId.Length + 1 + written)]);
        }

        private void Set(string key, object? value)
        {
            var index = IndexOf(key);
            if (index >= 0)
            {
                _fields[index] = new(key, value);
            }
            else
            {
                _fields.Add(new(key, value));
            }
        }

        private int IndexOf(string key)
        {
            for (var i = 0; i < _fields.Count; i++)
            {
                if (string.Equals(_fields[i].Key, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
