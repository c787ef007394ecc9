using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;

namespace AgentFlow.Runtime.Execution;

/// <summary>
/// Fans an execution's updates out to live watchers. Keeps the events published so far so a late watcher still
/// sees the log from the start, with no gap between the replayed part and the live part.
/// </summary>
internal sealed class EventBroadcaster(IExecutionObserver? observer = null, CompiledGraph? graph = null)
{
    private readonly Lock _gate = new();
    private readonly List<ExecutionEvent> _history = [];
    private readonly List<Channel<ExecutionUpdate>> _subscribers = [];
    private bool _completed;
    private int _subscriberCount;

    /// <summary>Whether anybody is listening (lets the hot path skip progress sinks).</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscriberCount) > 0;

    public void Publish(List<ExecutionEvent> events, bool replayed = false)
    {
        if (observer is not null && graph is not null)
        {
            Observe(observer, graph, events, replayed);
        }

        lock (_gate)
        {
            _history.AddRange(events);
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
            foreach (var subscriber in _subscribers)
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
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
            _subscriberCount = 0;
        }
    }

    public async IAsyncEnumerable<ExecutionUpdate> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ExecutionUpdate>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var e in _history)
            {
                channel.Writer.TryWrite(new EventUpdate(e));
            }

            if (_completed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(channel);
                _subscriberCount = _subscribers.Count;
            }
        }

        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
                _subscriberCount = _subscribers.Count;
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
