using System.Text.Json;
using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

/// <summary>
/// Holds one connection that LISTENs on the store's channels and wakes waiters; started by the first wait, so a
/// store nobody waits on keeps no extra connection.
/// </summary>
internal sealed class PostgresNotificationListener : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    // Network liveness, not contract time: measured by the driver on the real clock.
    private static readonly TimeSpan PingAfter = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string?[] _channels;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly StoreNotifier _notifier;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <param name="channels">The channel names, indexed by <see cref="StoreChannel"/>; null for channels not listened to.</param>
    public PostgresNotificationListener(NpgsqlDataSource dataSource, string?[] channels, TimeProvider time)
    {
        _dataSource = dataSource;
        _channels = channels;
        _time = time;
        _notifier = new StoreNotifier(time);
    }

    /// <summary>Starts listening if not yet started, and returns once LISTEN is in place.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        return _listening.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask<bool> WaitAsync(StoreChannel channel, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureStarted();
        if (!_listening.Task.IsCompleted)
        {
            // The first wait listens before it looks, so whatever is announced after LISTEN is caught.
            var began = _time.GetUtcNow();
            using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var listened = await Task.WhenAny(_listening.Task, Task.Delay(timeout, _time, stopDelay.Token)).ConfigureAwait(false) == _listening.Task;
            await stopDelay.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!listened)
            {
                return false;
            }

            var left = timeout - (_time.GetUtcNow() - began);
            timeout = left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        return await _notifier.WaitAsync(channel, timeout, cancellationToken).ConfigureAwait(false);
    }

    public IReadOnlyCollection<string>? TakeAnnounced(StoreChannel channel) => _notifier.TakeAnnounced(channel);

    /// <summary>Subscribes, then returns once LISTEN is in place (see <see cref="IStoreNotifications.SubscribeAsync"/>).</summary>
    public async ValueTask<IDisposable> SubscribeAsync(StoreChannel channel, Action<StoreAnnouncement> onAnnounced, CancellationToken cancellationToken)
    {
        var subscription = _notifier.Subscribe(channel, onAnnounced);
        try
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private void EnsureStarted()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => ListenAsync(_stop.Token), CancellationToken.None);
        }
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        var retry = FirstRetry;
        var listenedBefore = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(stop).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, e) => Wake(Array.IndexOf(_channels, e.Channel), e.Payload);
                    await using (var listen = new NpgsqlCommand(string.Concat(_channels.OfType<string>().Select(c => $"LISTEN \"{c}\";")), connection))
                    {
                        await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                    }

                    if (listenedBefore)
                    {
                        // Announcements made while we were disconnected are lost: wake everyone to look once.
                        _notifier.NotifyAll();
                    }

                    listenedBefore = true;
                    retry = FirstRetry;
                    _listening.TrySetResult();
                    while (true)
                    {
                        // A connection that died silently (no FIN, e.g. a network partition) would block the wait
                        // forever; a ping when nothing arrived for a while turns that into an error and a reconnect.
                        if (!await connection.WaitAsync(PingAfter, stop).ConfigureAwait(false))
                        {
                            await using var ping = new NpgsqlCommand("SELECT 1", connection);
                            await ping.ExecuteScalarAsync(stop).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (PostgresErrors.IsDatabaseFailure(ex))
            {
                // The server went away: waiters time out and poll the store, which reports the failure; retry later.
            }

            try
            {
                await Task.Delay(retry, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    private void Wake(int index, string payload)
    {
        if (index < 0)
        {
            return;
        }

        if ((StoreChannel)index == StoreChannel.Appended)
        {
            var (executionId, workflowId) = ParseAppended(payload);
            _notifier.Notify(StoreChannel.Appended, executionId, workflowId);
            return;
        }

        _notifier.Notify((StoreChannel)index, payload.Length == 0 ? null : payload);
    }

    /// <summary>Reads <c>["executionId", "workflowId"]</c>; anything else (an empty payload: ids too long) names none.</summary>
    private static (string? ExecutionId, string? WorkflowId) ParseAppended(string payload)
    {
        if (payload.Length == 0)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 2
                ? (root[0].GetString(), root[1].GetString())
                : (null, null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, null);
        }
    }
}
