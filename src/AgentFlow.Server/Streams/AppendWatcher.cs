using AgentFlow.Core.Persistence;
using AgentFlow.Server.Hosting;

namespace AgentFlow.Server.Streams;

/// <summary>
/// The server's one subscription to the store's append announcements (<see cref="StoreChannel.Appended"/>), fanned
/// out to the streams that follow an execution or a workflow: each stream waits on a notifier of its own and is woken
/// only by the executions it follows, so a thousand streams cost one lookup per append, not a thousand.
/// </summary>
internal sealed class AppendWatcher(RuntimeService runtime) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<StoreNotifier>> _byExecution = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<StoreNotifier>> _byWorkflow = new(StringComparer.Ordinal);
    private Task<IDisposable>? _subscription;
    private bool _disposed;

    /// <summary>
    /// Announces on <paramref name="wake"/>'s <see cref="StoreChannel.Appended"/> every append to
    /// <paramref name="executionId"/> (naming it; null when announcements may have been lost) until the returned
    /// handle is disposed. Returns once the store listens; null when the store announces nothing (then poll).
    /// </summary>
    public ValueTask<IDisposable?> WatchExecutionAsync(string executionId, StoreNotifier wake, CancellationToken cancellationToken) =>
        WatchAsync(_byExecution, executionId, wake, cancellationToken);

    /// <summary>As <see cref="WatchExecutionAsync"/>, for every execution of the (qualified) workflow.</summary>
    public ValueTask<IDisposable?> WatchWorkflowAsync(string workflowId, StoreNotifier wake, CancellationToken cancellationToken) =>
        WatchAsync(_byWorkflow, workflowId, wake, cancellationToken);

    public void Dispose()
    {
        Task<IDisposable>? subscription;
        lock (_gate)
        {
            _disposed = true;
            subscription = _subscription;
        }

        if (subscription is { IsCompletedSuccessfully: true })
        {
            subscription.Result.Dispose();
        }
    }

    private async ValueTask<IDisposable?> WatchAsync(Dictionary<string, List<StoreNotifier>> watchers, string key, StoreNotifier wake, CancellationToken cancellationToken)
    {
        if (runtime.Store is not IStoreNotifications notifications)
        {
            return null;
        }

        Task<IDisposable> subscribed;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!watchers.TryGetValue(key, out var list))
            {
                watchers[key] = list = [];
            }

            list.Add(wake);

            // Not the caller's token: the subscription outlives this stream, serving every later one.
            subscribed = _subscription ??= notifications.SubscribeAsync(StoreChannel.Appended, OnAppended, CancellationToken.None).AsTask();
        }

        var registration = new Registration(this, watchers, key, wake);
        try
        {
            await subscribed.WaitAsync(cancellationToken).ConfigureAwait(false);
            return registration;
        }
        catch
        {
            registration.Dispose();
            lock (_gate)
            {
                if (subscribed.IsFaulted && ReferenceEquals(_subscription, subscribed))
                {
                    _subscription = null;
                }
            }

            throw;
        }
    }

    private void OnAppended(StoreAnnouncement announcement)
    {
        lock (_gate)
        {
            if (announcement.ExecutionId is not { } executionId)
            {
                foreach (var wake in _byExecution.Values.Concat(_byWorkflow.Values).SelectMany(l => l))
                {
                    wake.Notify(StoreChannel.Appended, null);
                }

                return;
            }

            Wake(_byExecution, executionId, executionId);
            if (announcement.WorkflowId is { } workflowId)
            {
                Wake(_byWorkflow, workflowId, executionId);
            }
        }
    }

    private static void Wake(Dictionary<string, List<StoreNotifier>> watchers, string key, string executionId)
    {
        if (watchers.TryGetValue(key, out var list))
        {
            foreach (var wake in list)
            {
                wake.Notify(StoreChannel.Appended, executionId);
            }
        }
    }

    private void Remove(Dictionary<string, List<StoreNotifier>> watchers, string key, StoreNotifier wake)
    {
        lock (_gate)
        {
            if (watchers.TryGetValue(key, out var list) && list.Remove(wake) && list.Count == 0)
            {
                watchers.Remove(key);
            }
        }
    }

    private sealed class Registration(AppendWatcher owner, Dictionary<string, List<StoreNotifier>> watchers, string key, StoreNotifier wake) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(watchers, key, wake);
            }
        }
    }
}
