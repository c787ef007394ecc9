using AgentFlow.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string SignalColumns = "signal_id, execution_id, name, payload, dedup_id, sent_at";

    /// <inheritdoc />
    public ValueTask<SignalSendResult> SendSignalAsync(string executionId, string name, string payloadJson, string? deduplicationId, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateSignal(executionId, name, payloadJson);
        return new(AnnounceAsync(_writer.EnqueueAsync(
            c =>
            {
                if (deduplicationId is not null
                    && LoadSignals(c, $"SELECT {SignalColumns} FROM signals WHERE execution_id = $e AND dedup_id = $d", ("$e", executionId), ("$d", deduplicationId)) is [var original])
                {
                    return new SignalSendResult(original, Duplicate: true);
                }

                var sentAt = _time.GetUtcNow();
                var id = (long)c.Scalar(
                    "INSERT INTO signals (execution_id, name, payload, dedup_id, sent_at, delivered_at) VALUES ($e, $n, $p, $d, $at, NULL) RETURNING signal_id",
                    ("$e", executionId),
                    ("$n", name),
                    ("$p", payloadJson),
                    ("$d", deduplicationId),
                    ("$at", sentAt.UtcTicks))!;
                return new SignalSendResult(new StoredSignal(id, executionId, name, payloadJson, deduplicationId, SqliteCommands.Time(sentAt.UtcTicks)), Duplicate: false);
            },
            cancellationToken), StoreChannel.Signals, executionId, sent => !sent.Duplicate));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsAsync(string executionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        return new(Read<IReadOnlyList<StoredSignal>>(c => LoadSignals(
            c,
            $"SELECT {SignalColumns} FROM signals WHERE execution_id = $e AND delivered_at IS NULL ORDER BY signal_id",
            ("$e", executionId))));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSignal>> ReadPendingSignalsOfAsync(IReadOnlyCollection<string> executionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        if (executionIds.Count == 0)
        {
            return new([]);
        }

        // One statement for any number of ids: they travel as one JSON array parameter.
        var ids = System.Text.Json.JsonSerializer.Serialize(executionIds.ToArray(), SqliteJsonContext.Default.StringArray);
        return new(Read<IReadOnlyList<StoredSignal>>(c => LoadSignals(
            c,
            $"SELECT {SignalColumns} FROM signals WHERE execution_id IN (SELECT value FROM json_each($ids)) AND delivered_at IS NULL ORDER BY signal_id",
            ("$ids", ids))));
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkSignalDeliveredAsync(string executionId, long signalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        return new(_writer.EnqueueAsync(
            c => c.Execute(
                "UPDATE signals SET delivered_at = $at WHERE signal_id = $id AND execution_id = $e AND delivered_at IS NULL",
                ("$at", _time.GetUtcNow().UtcTicks),
                ("$id", signalId),
                ("$e", executionId)) == 1,
            cancellationToken));
    }

    private static List<StoredSignal> LoadSignals(SqliteSession c, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = c.Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var signals = new List<StoredSignal>();
        while (reader.Read())
        {
            signals.Add(new StoredSignal(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), SqliteCommands.String(reader, 4), SqliteCommands.Time(reader.GetInt64(5))));
        }

        return signals;
    }
}
