namespace AgentFlow.Core.Persistence;

/// <summary>
/// The waiting side of <see cref="IStoreNotifications"/>, shared by every store: a store calls <see cref="Notify(StoreChannel, string?, string?)"/>
/// when it commits something announceable (its own writes in process; for PostgreSQL, also what LISTEN delivers from
/// other processes), and waiters wake. Thread-safe; no I/O.
/// </summary>
/// <remarks>
/// A notification that arrives while nobody waits on its channel is kept for the next wait, which then returns at
/// once; the executions named are kept until <see cref="TakeAnnounced"/> takes them (past
/// <see cref="MaxRemembered"/> of them, or after <see cref="NotifyAll"/>, the names are dropped and the channel reports
/// that some are unknown). Subscribers (<see cref="Subscribe"/>) see every announcement, whoever waits or takes.
/// </remarks>
public sealed class StoreNotifier
{
    /// <summary>How many announced execution ids a channel remembers before it reports them unknown instead.</summary>
    public const int MaxRemembered = 100_000;

    private static readonly int ChannelCount = Enum.GetValues<StoreChannel>().Length;

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource?[] _wakeUps = new TaskCompletionSource?[ChannelCount];
    private readonly int[] _waiters = new int[ChannelCount];
    private readonly bool[] _pending = new bool[ChannelCount];
    private readonly HashSet<string>[] _announced = [.. Enumerable.Range(0, ChannelCount).Select(_ => new HashSet<string>(StringComparer.Ordinal))];
    private readonly bool[] _unknown = new bool[ChannelCount];
    private readonly Action<StoreAnnouncement>[][] _subscribers = [.. Enumerable.Range(0, ChannelCount).Select(_ => Array.Empty<Action<StoreAnnouncement>>())];

    /// <summary>Creates a notifier whose wait timeouts run on <paramref name="time"/>.</summary>
    public StoreNotifier(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>Announces work on <paramref name="channel"/>, naming the execution when known.</summary>
    public void Notify(StoreChannel channel, string? executionId) => Notify(channel, executionId, null);

    /// <summary>Announces work on <paramref name="channel"/>, naming the execution and its workflow when known.</summary>
    public void Notify(StoreChannel channel, string? executionId, string? workflowId)
    {
        var index = Index(channel);
        lock (_gate)
        {
            if (executionId is null || _unknown[index] || _announced[index].Count >= MaxRemembered)
            {
                _unknown[index] = true;
                _announced[index].Clear();
            }
            else
            {
                _announced[index].Add(executionId);
            }

            WakeLocked(index);
        }

        // Outside the lock: a subscriber may wake others that wait on notifiers of their own.
        var subscribers = Volatile.Read(ref _subscribers[index]);
        if (subscribers.Length > 0)
        {
            var announcement = new StoreAnnouncement(channel, executionId, executionId is null ? null : workflowId);
            foreach (var subscriber in subscribers)
            {
                subscriber(announcement);
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="onAnnounced"/> for every announcement on <paramref name="channel"/> from now until the
    /// returned handle is disposed. It runs on the announcing thread (for an embedded store, inside its write), so
    /// it must be quick and never block or call back into the store.
    /// </summary>
    public IDisposable Subscribe(StoreChannel channel, Action<StoreAnnouncement> onAnnounced)
    {
        ArgumentNullException.ThrowIfNull(onAnnounced);
        var index = Index(channel);
        lock (_gate)
        {
            Volatile.Write(ref _subscribers[index], [.. _subscribers[index], onAnnounced]);
        }

        return new Subscription(this, index, onAnnounced);
    }

    /// <summary>Wakes every channel with the executions unknown (e.g. announcements may have been lost meanwhile).</summary>
    public void NotifyAll()
    {
        foreach (var channel in Enum.GetValues<StoreChannel>())
        {
            Notify(channel, null);
        }
    }

    /// <summary>See <see cref="IStoreNotifications.WaitAsync"/>.</summary>
    public async ValueTask<bool> WaitAsync(StoreChannel channel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var index = Index(channel);
        cancellationToken.ThrowIfCancellationRequested();
        Task wakeUp;
        lock (_gate)
        {
            if (_pending[index])
            {
                _pending[index] = false;
                return true;
            }

            wakeUp = (_wakeUps[index] ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            _waiters[index]++;
        }

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var woken = await Task.WhenAny(wakeUp, Task.Delay(timeout, _time, stopDelay.Token)).ConfigureAwait(false) == wakeUp;
            cancellationToken.ThrowIfCancellationRequested();
            return woken;
        }
        finally
        {
            await stopDelay.CancelAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _waiters[index]--;
            }
        }
    }

    /// <summary>See <see cref="IStoreNotifications.TakeAnnounced"/>.</summary>
    public IReadOnlyCollection<string>? TakeAnnounced(StoreChannel channel)
    {
        var index = Index(channel);
        lock (_gate)
        {
            if (_unknown[index])
            {
                _unknown[index] = false;
                return null;
            }

            var ids = _announced[index].ToArray();
            _announced[index].Clear();
            return ids;
        }
    }

    private void WakeLocked(int index)
    {
        if (_waiters[index] > 0 && _wakeUps[index] is { } wakeUp)
        {
            _wakeUps[index] = null;
            wakeUp.TrySetResult();
        }
        else
        {
            _pending[index] = true;
        }
    }

    private void Unsubscribe(int index, Action<StoreAnnouncement> onAnnounced)
    {
        lock (_gate)
        {
            var current = _subscribers[index];
            var at = Array.IndexOf(current, onAnnounced);
            if (at >= 0)
            {
                Volatile.Write(ref _subscribers[index], [.. current[..at], .. current[(at + 1)..]]);
            }
        }
    }

    private static int Index(StoreChannel channel)
    {
        var index = (int)channel;
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(channel));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ChannelCount, nameof(channel));
        return index;
    }

    private sealed class Subscription(StoreNotifier notifier, int index, Action<StoreAnnouncement> onAnnounced) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                notifier.Unsubscribe(index, onAnnounced);
            }
        }
    }
}
