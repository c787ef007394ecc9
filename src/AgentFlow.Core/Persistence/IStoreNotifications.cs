namespace AgentFlow.Core.Persistence;

/// <summary>
/// Wake-ups from a store, so a worker blocks until there may be work instead of polling in a tight loop.
/// </summary>
/// <remarks>
/// <para>
/// A notification is a hint, never the work itself: after waking (or timing out) a worker still claims through the
/// store, which stays the only source of truth. A store announces its own writes; PostgreSQL also those of every
/// process sharing the database, an embedded store (in-memory, SQLite) only those made through the same instance.
/// </para>
/// <para>
/// Guarantees: once a store has started listening (on the first wait), a notification that arrives while nobody is
/// waiting on its channel is kept until the next wait on that channel, which then returns at once; so a worker that
/// claims, finds nothing and then waits does not miss work announced in between. Several notifications may be
/// merged into one wake-up, and a wake-up may be spurious (for example after the store reconnected, when some may
/// have been lost); the timeout bounds how long a lost one can delay work. The timeout is measured with the store's
/// injected <see cref="TimeProvider"/>.
/// </para>
/// </remarks>
public interface IStoreNotifications
{
    /// <summary>Waits until something is announced on <paramref name="channel"/> or <paramref name="timeout"/> passes.</summary>
    /// <returns>True when woken by a notification; false when the timeout passed first.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<bool> WaitAsync(StoreChannel channel, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// The executions announced on <paramref name="channel"/> since the last call (for example those that received a
    /// signal), so a worker looks at those only. Null when some announcements named no execution or were too many
    /// to remember (or may have been lost, after a reconnect): then look at every execution concerned.
    /// </summary>
    IReadOnlyCollection<string>? TakeAnnounced(StoreChannel channel);

    /// <summary>
    /// Calls <paramref name="onAnnounced"/> for every announcement on <paramref name="channel"/> until the returned
    /// handle is disposed, for many listeners at once (live streams): unlike <see cref="WaitAsync"/> and
    /// <see cref="TakeAnnounced"/>, a subscriber takes nothing from anyone. Returns once the store listens, so every
    /// write committed after it returns is announced; an announcement naming no execution means some may have been
    /// lost (look at everything again). The callback runs on the store's thread: it must be quick and never block.
    /// </summary>
    ValueTask<IDisposable> SubscribeAsync(StoreChannel channel, Action<StoreAnnouncement> onAnnounced, CancellationToken cancellationToken);
}
