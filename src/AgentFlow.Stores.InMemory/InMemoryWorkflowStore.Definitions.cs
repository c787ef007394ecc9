using System.Runtime.CompilerServices;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, List<StoredDefinition>> _definitions = new(StringComparer.Ordinal);

    // The last version each deleted workflow had: later saves continue after it, and starts of a version up to it fail.
    private readonly Dictionary<string, int> _deletedThrough = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<DefinitionSaveResult> SaveDefinitionAsync(string workflowId, string format, string source, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateDefinition(workflowId, format, source);
        var hash = DefinitionHash.Compute(source);
        lock (_gate)
        {
            if (!_definitions.TryGetValue(workflowId, out var versions))
            {
                versions = [];
                _definitions.Add(workflowId, versions);
            }

            if (versions.Count > 0 && versions[^1].ContentHash == hash && versions[^1].Format == format)
            {
                return new(new DefinitionSaveResult(versions[^1], Created: false));
            }

            var next = versions.Count > 0 ? versions[^1].Version + 1 : _deletedThrough.GetValueOrDefault(workflowId) + 1;
            var stored = new StoredDefinition(workflowId, next, format, source, hash, _time.GetUtcNow());
            versions.Add(stored);
            return new(new DefinitionSaveResult(stored, Created: true));
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredDefinition?> GetLatestDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(_definitions.TryGetValue(workflowId, out var versions) ? versions[^1] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredDefinition?> GetDefinitionAsync(string workflowId, int version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return new(FindLocked(workflowId, version));
        }
    }

    /// <inheritdoc />
    public ValueTask<DefinitionDeleteResult> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        lock (_gate)
        {
            if (!_definitions.TryGetValue(workflowId, out var versions))
            {
                return new(DefinitionDeleteResult.NotFound);
            }

            if (_index.Values.FirstOrDefault(r => !r.IsTerminal && string.Equals(r.WorkflowId, workflowId, StringComparison.Ordinal)) is { } user)
            {
                return new(DefinitionDeleteResult.InUse(user.ExecutionId));
            }

            _definitions.Remove(workflowId);
            _deletedThrough[workflowId] = versions[^1].Version;
            return new(DefinitionDeleteResult.Deleted(versions[^1].Version));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDefinition> ListDefinitionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<StoredDefinition> latest;
        lock (_gate)
        {
            latest = [.. _definitions.Values.Select(v => v[^1]).OrderBy(d => d.WorkflowId, StringComparer.Ordinal)];
        }

        foreach (var definition in latest)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return definition;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses an append that starts (or re-opens, by a retry) an execution of a deleted version; call it under the
    /// lock, before any change.
    /// </summary>
    private void CheckStartableLocked(ExecutionRecord? previous, ExecutionRecord row)
    {
        if (DefinitionDeletion.NeedsDefinition(previous, row)
            && _deletedThrough.TryGetValue(row.WorkflowId, out var through)
            && row.WorkflowVersion <= through
            && FindLocked(row.WorkflowId, row.WorkflowVersion) is null)
        {
            throw new WorkflowDeletedException(row.ExecutionId, row.WorkflowId, row.WorkflowVersion);
        }
    }

    private StoredDefinition? FindLocked(string workflowId, int version)
    {
        if (!_definitions.TryGetValue(workflowId, out var versions) || versions.Count == 0)
        {
            return null;
        }

        // Versions are consecutive from the first one kept (1, or one past the last deleted version).
        var index = version - versions[0].Version;
        return index >= 0 && index < versions.Count ? versions[index] : null;
    }
}
