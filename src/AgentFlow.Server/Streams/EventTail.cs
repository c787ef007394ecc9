using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AgentFlow.Core.Events;
using AgentFlow.Runtime;
using AgentFlow.Server.Hosting;

namespace AgentFlow.Server.Streams;

/// <summary>
/// Follows one execution's log in the store: everything after a sequence, then new events as they are written, by
/// this process or any other sharing the store, until the execution ends. The store stays the source of truth; the
/// in-process broadcaster only wakes the tail early and adds node progress, which is never stored.
/// </summary>
internal sealed class EventTail(RuntimeService runtime, ServerOptions options)
{
    public async IAsyncEnumerable<StreamItem> FollowAsync(string executionId, long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signals = Channel.CreateUnbounded<StreamItem?>(new UnboundedChannelOptions { SingleReader = true });
        Task? watching = null;
        var last = after;
        try
        {
            while (true)
            {
                watching ??= Watch(executionId, signals.Writer, stop.Token);
                var events = await runtime.Store.ReadAsync(executionId, last + 1, cancellationToken).ConfigureAwait(false);
                foreach (var e in events)
                {
                    last = e.Sequence;
                    yield return new StoredEventItem(e);
                    if (e is ExecutionCompleted or ExecutionFailed or ExecutionCancelled)
                    {
                        yield break;
                    }
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.StreamPollInterval);
                try
                {
                    await signals.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The poll interval passed: look at the store for events written elsewhere.
                }

                while (signals.Reader.TryRead(out var item))
                {
                    if (item is not null)
                    {
                        yield return item;
                    }
                }
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

    /// <summary>When the execution runs here, forwards its progress and wakes the tail on every new event.</summary>
    private Task? Watch(string executionId, ChannelWriter<StreamItem?> signals, CancellationToken cancellationToken)
    {
        if (runtime.Runtime.GetHandle(executionId) is not { } handle)
        {
            return null;
        }

        return Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var update in handle.WatchUpdatesAsync(cancellationToken).ConfigureAwait(false))
                    {
                        signals.TryWrite(update is NodeProgressUpdate progress ? new ProgressItem(progress) : null);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The stream ended.
                }

                signals.TryWrite(null);
            },
            CancellationToken.None);
    }
}
