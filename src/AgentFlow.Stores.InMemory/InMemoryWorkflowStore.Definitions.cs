using System.Runtime.CompilerServices;
using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, List<StoredDefinition>> _definitions = new(StringComparer.Ordinal);

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

            var stored = new StoredDefinition(workflowId, versions.Count + 1, format, source, hash, _time.GetUtcNow());
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
            return new(_definitions.TryGetValue(workflowId, out var versions) && version >= 1 && version <= versions.Count ? versions[version - 1] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        lock (_gate)
        {
            return new(_definitions.Remove(workflowId));
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
}
