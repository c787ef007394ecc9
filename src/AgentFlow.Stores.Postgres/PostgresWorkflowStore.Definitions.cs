using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <summary>The SQLSTATE <c>check_startable</c> raises for a start of a deleted version.</summary>
    private const string DeletedState = "AFW01";

    /// <inheritdoc />
    public ValueTask<DefinitionSaveResult> SaveDefinitionAsync(string workflowId, string format, string source, CancellationToken cancellationToken)
    {
        StoreArguments.ValidateDefinition(workflowId, format, source);
        var hash = DefinitionHash.Compute(source);
        return new(RunAsync("save a definition", async connection =>
        {
            while (true)
            {
                try
                {
                    await using var save = Command(connection, _sql.SaveDefinition, workflowId, format, source, hash, _time.GetUtcNow().UtcTicks);
                    await using var reader = await save.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    return new DefinitionSaveResult(PostgresRows.ReadDefinition(reader), Created: reader.GetBoolean(6));
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    // A concurrent save took the next version first: retry against it (same text then returns it).
                }
            }
        }, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<StoredDefinition?> GetLatestDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new(RunAsync("read a definition", connection => LatestDefinitionAsync(connection, workflowId, cancellationToken), cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<StoredDefinition?> GetDefinitionAsync(string workflowId, int version, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new(RunAsync("read a definition", async connection =>
        {
            await using var command = Command(connection, _sql.GetDefinition, workflowId, version);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgresRows.ReadDefinition(reader) : null;
        }, cancellationToken));
    }

    /// <inheritdoc />
    /// <remarks>
    /// One round trip, one transaction: an exclusive advisory lock on the workflow waits for the starts whose first
    /// append is in progress (they hold it shared, see <see cref="ExecuteCheckedAsync"/>); the next statement, with a fresh
    /// snapshot, sees their executions, and deletes only when none is unfinished.
    /// </remarks>
    public ValueTask<DefinitionDeleteResult> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new(RunAsync("delete a definition", async connection =>
        {
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(BatchCommand(_sql.DefinitionLock, DefinitionLockKey(workflowId)));
            batch.BatchCommands.Add(BatchCommand(_sql.DeleteDefinition, workflowId, _time.GetUtcNow().UtcTicks));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.IsDBNull(0))
            {
                return DefinitionDeleteResult.NotFound;
            }

            return reader.IsDBNull(1) ? DefinitionDeleteResult.Deleted(reader.GetInt32(2)) : DefinitionDeleteResult.InUse(reader.GetString(1));
        }, cancellationToken));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDefinition> ListDefinitionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var page = await RunAsync("list definitions", async connection =>
            {
                await using var command = Command(connection, _sql.ListDefinitions, after, ListPageSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<StoredDefinition>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(PostgresRows.ReadDefinition(reader));
                }

                return rows;
            }, cancellationToken).ConfigureAwait(false);

            foreach (var definition in page)
            {
                after = definition.WorkflowId;
                yield return definition;
            }

            if (page.Count < ListPageSize)
            {
                yield break;
            }
        }
    }

    private async Task<StoredDefinition?> LatestDefinitionAsync(NpgsqlConnection connection, string workflowId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, _sql.LatestDefinition, workflowId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? PostgresRows.ReadDefinition(reader) : null;
    }

    /// <summary>
    /// Runs an append batch; when it starts an execution or re-opens a finished one (see
    /// <see cref="DefinitionDeletion.NeedsDefinition"/>), first in the batch comes <c>check_startable</c>, which fails
    /// it for a deleted version and holds the workflow's advisory lock shared until the append commits (see
    /// <see cref="DeleteDefinitionAsync"/>).
    /// </summary>
    /// <exception cref="WorkflowDeletedException">The version was deleted; the batch's transaction is aborted.</exception>
    private async Task ExecuteCheckedAsync(NpgsqlBatch batch, ExecutionRecord? previous, ExecutionRecord next, CancellationToken cancellationToken)
    {
        if (!DefinitionDeletion.NeedsDefinition(previous, next))
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        batch.BatchCommands.Insert(0, BatchCommand(_sql.CheckStartable, next.WorkflowId, next.WorkflowVersion, DefinitionLockKey(next.WorkflowId)));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == DeletedState)
        {
            throw new WorkflowDeletedException(next.ExecutionId, next.WorkflowId, next.WorkflowVersion);
        }
    }

    // One advisory lock per (schema, workflow), stable across processes and builds; a collision between two
    // workflows only makes a delete of one wait for starts of the other.
    private long DefinitionLockKey(string workflowId) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("agentflow.definition:" + Schema + "\0" + workflowId)));
}
