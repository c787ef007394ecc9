using System.Collections.Concurrent;
using AgentFlow.Server.Hosting;
using AgentFlow.Server.Streams;

namespace AgentFlow.Server.Security;

/// <summary>
/// The secret input values per execution, read once from the start of its log, for masking live streams (whose items
/// arrive one event at a time, without the start event at hand).
/// </summary>
internal sealed class SecretValues(RuntimeService runtime)
{
    // A bound, not an eviction policy: streams are few at a time, and a cleared entry is just read again.
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, string[]> _cache = new(StringComparer.Ordinal);

    public async ValueTask<string[]> ForAsync(string executionId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(executionId, out var known))
        {
            return known;
        }

        var events = await runtime.Store.ReadAsync(executionId, 1, cancellationToken).ConfigureAwait(false);
        var values = SecretRedaction.ValuesOf(events);
        if (events.Count == 0)
        {
            return values;
        }

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[executionId] = values;
        return values;
    }

    public ValueTask<string[]> ForAsync(StreamItem item, CancellationToken cancellationToken) => item switch
    {
        StoredEventItem stored => ForAsync(stored.Event.ExecutionId, cancellationToken),
        ProgressItem progress => ForAsync(progress.Update.ExecutionId, cancellationToken),
        _ => new([]),
    };
}
