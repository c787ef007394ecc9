namespace AgentFlow.FlowGram.Api;

/// <summary>
/// The schema-dependent half of a TaskRun (parse, document build, schema validation, mapping) per distinct schema
/// text, so repeated runs of one schema skip it and share one immutable definition (whose compiled graphs the runtime
/// then reuses too). Keys are the full texts, compared ordinally, so a different schema never hits another's entry.
/// Bounded: past <see cref="Capacity"/> entries the oldest is dropped. A caller that passes the same string instance
/// again (an in-process client running one schema many times) is answered without hashing or comparing the text.
/// </summary>
internal sealed class PreparedSchemaCache
{
    /// <summary>How many distinct schemas are kept.</summary>
    public const int Capacity = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PreparedSchema> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    // The entry found or built last, published as one immutable pair so a reader never sees a text with another's schema.
    private LastHit? _last;

    /// <summary>The prepared schema; built (outside the lock) when missing.</summary>
    /// <exception cref="FlowGramException">The schema is not JSON or its document cannot be built (never cached).</exception>
    public PreparedSchema Get(string schema)
    {
        if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Schema, schema))
        {
            return last.Prepared;
        }

        lock (_gate)
        {
            if (_entries.TryGetValue(schema, out var found))
            {
                Volatile.Write(ref _last, new LastHit(schema, found));
                return found;
            }
        }

        var prepared = PreparedSchema.Build(schema);
        lock (_gate)
        {
            if (_entries.TryGetValue(schema, out var raced))
            {
                return raced;
            }

            if (_entries.Count >= Capacity)
            {
                _entries.Remove(_order.Dequeue());
            }

            _entries.Add(schema, prepared);
            _order.Enqueue(schema);
            Volatile.Write(ref _last, new LastHit(schema, prepared));
        }

        return prepared;
    }

    /// <summary>The number of schemas held (tests).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    private sealed record LastHit(string Schema, PreparedSchema Prepared);
}
