using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Fans an execution's updates out to live watchers. A late watcher still sees the log from the start, with no gap
/// between the replayed part and the live part: it reads what was published before it subscribed from the store.
/// </summary>
/// <remarks>
/// One broadcaster per execution, map items included, and most are never watched: it keeps no copy of the events
/// (the store has them, appended before they are published) and makes its subscriber list for the first subscriber.
/// </remarks>
internal sealed class EventBroadcaster(IEventStore store, string executionId, IExecutionObserver? observer = null, CompiledGraph? graph = null)
{
    private readonly Lock _gate = new();
    private string _executionId = executionId;
    private CompiledGraph? _graph = graph;
    private long _published;
    private List<Channel<ExecutionUpdate>>? _subscribers;
    private bool _completed;
    private int _subscriberCount;

    /// <summary>Whether anybody is listening (lets the hot path skip progress sinks).</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscriberCount) > 0;

    public void Publish(List<ExecutionEvent> events, bool replayed = false)
    {
        if (observer is not null && _graph is not null)
        {
            Observe(observer, _graph, events, replayed);
        }

        lock (_gate)
        {
            if (events.Count > 0)
            {
                _published = events[^1].Sequence;
            }

            if (_subscribers is null)
            {
                return;
            }

            foreach (var subscriber in _subscribers)
            {
                foreach (var e in events)
                {
                    subscriber.Writer.TryWrite(new EventUpdate(e));
                }
            }
        }
    }

    public void PublishProgress(NodeProgressUpdate update)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers ?? Enumerable.Empty<Channel<ExecutionUpdate>>())
            {
                subscriber.Writer.TryWrite(update);
            }
        }
    }

    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var subscriber in _subscribers ?? Enumerable.Empty<Channel<ExecutionUpdate>>())
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers?.Clear();
            _subscriberCount = 0;
        }
    }

    /// <summary>Whether nobody ever subscribed (so nothing outside the runner holds on to this broadcaster).</summary>
    /// <remarks>The subscriber list, once made, is never dropped: no lock is needed to see that it was.</remarks>
    public bool NeverWatched => Volatile.Read(ref _subscribers) is null;

    /// <summary>
    /// Serves another execution, as if newly made: only for a broadcaster that was never watched, by a runner nobody
    /// outside can reach yet (registering it with the runtime publishes these writes).
    /// </summary>
    public void Reset(string executionId, CompiledGraph graph)
    {
        _executionId = executionId;
        _graph = graph;
        _published = 0;
        _completed = false;
    }

    public async IAsyncEnumerable<ExecutionUpdate> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ExecutionUpdate>(new UnboundedChannelOptions { SingleReader = true });
        long seen;
        lock (_gate)
        {
            seen = _published;
            if (_completed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                (_subscribers ??= []).Add(channel);
                _subscriberCount = _subscribers.Count;
            }
        }

        try
        {
            // Everything published before the subscription is in the store; what follows comes through the channel.
            if (seen > 0)
            {
                foreach (var e in await store.ReadAsync(_executionId, 1, cancellationToken).ConfigureAwait(false))
                {
                    if (e.Sequence > seen)
                    {
                        break;
                    }

                    yield return new EventUpdate(e);
                }
            }

            await foreach (var update in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers?.Remove(channel);
                _subscriberCount = _subscribers?.Count ?? 0;
            }
        }
    }

    // Telemetry must never fail an execution: whatever the observer throws stays here.
#pragma warning disable CA1031 // Deliberately catches everything; see above.
    private static void Observe(IExecutionObserver observer, CompiledGraph graph, List<ExecutionEvent> events, bool replayed)
    {
        try
        {
            observer.OnRecorded(graph, events, replayed);
        }
        catch (Exception)
        {
        }
    }
#pragma warning restore CA1031
}
