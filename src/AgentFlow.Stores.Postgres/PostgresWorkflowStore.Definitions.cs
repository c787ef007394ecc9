using System.Runtime.CompilerServices;
using AgentFlow.Core.Persistence;
using Npgsql;

namespace AgentFlow.Stores.Postgres;

public sealed partial class PostgresWorkflowStore
{
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
    public ValueTask<bool> DeleteDefinitionAsync(string workflowId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return new(RunAsync("delete a definition", async connection =>
        {
            await using var command = Command(connection, _sql.DeleteDefinition, workflowId);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
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
}
