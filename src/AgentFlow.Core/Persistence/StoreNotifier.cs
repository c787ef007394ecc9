namespace AgentFlow.Core.Persistence;

/// <summary>
/// The waiting side of <see cref="IStoreNotifications"/>, shared by every store: a store calls <see cref="Notify"/>
/// when it commits something announceable (its own writes in process; for PostgreSQL, also what LISTEN delivers from
/// other processes), and waiters wake. Thread-safe; no I/O.
/// </summary>
/// <remarks>
/// A notification that arrives while nobody waits on its channel is kept for the next wait, which then returns at
/// once; the executions named are kept until <see cref="TakeAnnounced"/> takes them (past
/// <see cref="MaxRemembered"/> of them, or after <see cref="NotifyAll"/>, the names are dropped and the channel reports
/// that some are unknown).
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

    /// <summary>Creates a notifier whose wait timeouts run on <paramref name="time"/>.</summary>
    public StoreNotifier(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <summary>Announces work on <paramref name="channel"/>, naming the execution when known.</summary>
    public void Notify(StoreChannel channel, string? executionId)
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

    private static int Index(StoreChannel channel)
    {
        var index = (int)channel;
        ArgumentOutOfRangeException.ThrowIfNegative(index, nameof(channel));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ChannelCount, nameof(channel));
        return index;
    }
}
