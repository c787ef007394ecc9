using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentFlow.Core.Events;
using AgentFlow.Core.Execution;
using AgentFlow.Core.Persistence;
using AgentFlow.Runtime;
using AgentFlow.Server.Hosting;

namespace AgentFlow.Server.Streams;

/// <summary>
/// Follows one execution's log in the store: everything after a sequence, then new events as they are written, by
/// this process or any other sharing the store, until the execution ends. The store stays the source of truth: the
/// store's announcement of an append (any process's, through <see cref="AppendWatcher"/>) wakes the tail to read it,
/// with a slow safety poll for announcements lost; the in-process broadcaster hands over events and node progress
/// (never stored) when the execution runs here.
/// </summary>
internal sealed class EventTail(RuntimeService runtime, AppendWatcher appends, ServerOptions options)
{
    public async IAsyncEnumerable<StreamItem> FollowAsync(string executionId, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A client that already holds the terminal event (a reconnect right after it, or ?after= the last sequence of an
        // ended execution) would otherwise wait forever for an event that never comes; it gets the end at once.
        if (after > 0
            && await runtime.Store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false) is { Status: ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled } ended
            && after >= ended.LastSequence)
        {
            yield break;
        }

        // Listening before the first read: an append committed after the read is announced, one before it is read.
        var wake = new StoreNotifier(options.TimeProvider);
        using var announced = await appends.WatchExecutionAsync(executionId, wake, cancellationToken).ConfigureAwait(false);
        var poll = announced is null ? options.StreamPollInterval : options.StreamSafetyPollInterval;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var live = Channel.CreateUnbounded<StreamItem>(new UnboundedChannelOptions { SingleReader = true });
        Task? watching = null;
        var last = after;
        try
        {
            while (true)
            {
                watching ??= Watch(runtime, executionId, live.Writer, wake, stop.Token);
                var stored = await runtime.Store.ReadAsync(executionId, last + 1, cancellationToken).ConfigureAwait(false);
                if (watching is not null)
                {
                    // What the runner published first, progress included (it is never stored): live items keep the
                    // runner's order, so progress lands between the events it happened between.
                    while (live.Reader.TryRead(out var item))
                    {
                        if (Take(item, ref last) is { } taken)
                        {
                            yield return taken;
                            if (taken is StoredEventItem { Event: var e } && IsEnd(e))
                            {
                                yield break;
                            }
                        }
                    }
                }

                foreach (var e in stored)
                {
                    if (e.Sequence <= last)
                    {
                        continue;
                    }

                    if (IsEnd(e) && watching is not null)
                    {
                        // The runner publishes after it appends, so progress it reported before the end may still be on
                        // its way: hand it over until the live stream brings the end itself or closes.
                        var endPublished = false;
                        while (!endPublished && await live.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            while (live.Reader.TryRead(out var item))
                            {
                                if (item is ProgressItem)
                                {
                                    yield return item;
                                }
                                else if (IsEnd(((StoredEventItem)item).Event))
                                {
                                    endPublished = true;
                                    break;
                                }
                            }
                        }
                    }

                    last = e.Sequence;
                    yield return new StoredEventItem(e);
                    if (IsEnd(e))
                    {
                        yield break;
                    }
                }

                await wake.WaitAsync(StoreChannel.Appended, poll, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (watching is not null)
            {
                await watching.ConfigureAwait(false);
            }
        }
    }

    private static bool IsEnd(ExecutionEvent e) => e is ExecutionCompleted or ExecutionFailed or ExecutionCancelled;

    /// <summary>A live item to send: progress always, an event only when it is the next one (else null).</summary>
    private static StreamItem? Take(StreamItem item, ref long last)
    {
        if (item is ProgressItem)
        {
            return item;
        }

        var e = ((StoredEventItem)item).Event;
        if (e.Sequence != last + 1)
        {
            // Already sent (the subscription replays the log), or a gap the next store read fills.
            return null;
        }

        last = e.Sequence;
        return item;
    }

    /// <summary>When the execution runs here, forwards its events and progress as the runner publishes them (after appending).</summary>
    private static Task? Watch(RuntimeService runtime, string executionId, ChannelWriter<StreamItem> live, StoreNotifier wake, CancellationToken cancellationToken)
    {
        if (runtime.Runtime.GetHandle(executionId) is not { } handle)
        {
            return null;
        }

        // Subscribed here, before the tail's first read, not on a pool thread later: progress is never stored, so
        // progress a node reports right after an event the client has already seen (an LLM node streaming tokens as
        // soon as it starts) would be lost to a subscription still on its way.
        var updates = handle.WatchUpdatesAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        return PumpAsync(updates, updates.MoveNextAsync(), executionId, live, wake);
    }

    private static async Task PumpAsync(IAsyncEnumerator<ExecutionUpdate> updates, ValueTask<bool> next, string executionId, ChannelWriter<StreamItem> live, StoreNotifier wake)
    {
        try
        {
            while (await next.ConfigureAwait(false))
            {
                live.TryWrite(updates.Current switch
                {
                    NodeProgressUpdate progress => new ProgressItem(progress),
                    EventUpdate e => new StoredEventItem(e.Event),
                    _ => throw new InvalidOperationException($"Unknown update {updates.Current.GetType().Name}."),
                });
                wake.Notify(StoreChannel.Appended, executionId);
                next = updates.MoveNextAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
            live.TryComplete();
        }
    }
}
