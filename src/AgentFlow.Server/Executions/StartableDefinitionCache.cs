using AgentFlow.Core.Definitions;
using AgentFlow.Core.Persistence;
using AgentFlow.Server.Workflows;

namespace AgentFlow.Server.Executions;

/// <summary>
/// Stored versions parsed once and shared by every start of them: parsing and validating the document on each start
/// cost CPU per request, and a fresh definition per execution also meant a freshly compiled graph per execution.
/// Keyed by the stored id, version and content hash, so a workflow deleted and saved again under the same version
/// number never starts from the old text. Bounded: the oldest entry goes first.
/// </summary>
internal sealed class StartableDefinitionCache(WorkflowCatalog catalog)
{
    private const int Capacity = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string WorkflowId, int Version, string Hash), WorkflowDefinition> _entries = [];
    private readonly Queue<(string WorkflowId, int Version, string Hash)> _age = new();

    /// <summary>The definition to start for <paramref name="stored"/>; null when the stored text no longer loads (not cached).</summary>
    public WorkflowDefinition? Get(StoredDefinition stored, string workflowId)
    {
        var key = (stored.WorkflowId, stored.Version, stored.ContentHash);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }

        if (catalog.Load(stored, workflowId).Definition is not { } loaded)
        {
            return null;
        }

        // The stored id is tenant-qualified, so a resumed execution reloads this tenant's definition.
        var definition = loaded with { Id = stored.WorkflowId, Version = stored.Version };
        lock (_lock)
        {
            if (_entries.TryAdd(key, definition))
            {
                _age.Enqueue(key);
                if (_age.Count > Capacity)
                {
                    _entries.Remove(_age.Dequeue());
                }
            }

            return _entries[key];
        }
    }
}
