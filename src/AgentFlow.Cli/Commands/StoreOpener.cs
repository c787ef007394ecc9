using AgentFlow.Core.Persistence;
using AgentFlow.Stores.InMemory;
using AgentFlow.Stores.Postgres;
using AgentFlow.Stores.Sqlite;

namespace AgentFlow.Cli.Commands;

/// <summary>Opens the store a command names, turning every way that can fail into one clear line.</summary>
internal static class StoreOpener
{
    /// <summary>The SQLite file used when a command that needs a database is given none.</summary>
    public const string DefaultDatabase = "agentflow.db";

    /// <summary>Opens a SQLite store; with <paramref name="mustExist"/>, a missing file is an error rather than a new database.</summary>
    public static async Task<IWorkflowStore?> OpenSqliteAsync(string path, bool mustExist, CliConsole console, CancellationToken cancellationToken)
    {
        if (mustExist && !File.Exists(path))
        {
            await console.Error.WriteLineAsync($"error: database '{path}' not found (pass --db FILE; 'agentflow run FILE --db {path}' creates one).");
            return null;
        }

        try
        {
            return await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), cancellationToken);
        }
        catch (StoreException exception)
        {
            await console.Error.WriteLineAsync($"error: {exception.Message}");
            return null;
        }
    }

    /// <summary>Opens the PostgreSQL store (migrating its schema if needed); a bad or unreachable server is one line, not a trace.</summary>
    public static async Task<IWorkflowStore?> OpenPostgresAsync(string connectionString, string schema, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            var store = await PostgresWorkflowStore.OpenAsync(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema }, cancellationToken);
            await store.StartListeningAsync(cancellationToken);
            return store;
        }
        catch (StoreException exception)
        {
            await console.Error.WriteLineAsync($"error: {exception.Message}");
            return null;
        }
        catch (ArgumentException exception) when (exception.ParamName == nameof(schema))
        {
            // The store checks the name before connecting; the rule is its, the option is ours.
            await console.Error.WriteLineAsync($"error: --postgres-schema '{schema}' is not valid: use 1 to 40 lowercase letters, digits or underscores, starting with a letter or underscore.");
            return null;
        }
    }

    /// <summary>A store that lives as long as the process.</summary>
    public static IWorkflowStore OpenEphemeral() => new InMemoryWorkflowStore();

    /// <summary>Prints a store failure met while working (locked, closed, damaged) as one line.</summary>
    public static Task ReportAsync(StoreException exception, CliConsole console) =>
        console.Error.WriteLineAsync($"error: {exception.Message}");
}
