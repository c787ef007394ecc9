using System.Globalization;
using AgentFlow.Core.Persistence;
using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Sqlite;

/// <summary>
/// Opens the writer connection and brings the schema up to date. Every check that can refuse a file (not SQLite, not
/// ours, damaged, newer schema, locked) runs before the first write, so a refused file is left byte-for-byte as it was.
/// </summary>
internal static class SqliteOpener
{
    private static readonly byte[] Magic = "SQLite format 3\0"u8.ToArray();

    public static string ConnectionString(string path, SqliteOpenMode mode, TimeSpan busyTimeout) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,

        // Microsoft.Data.Sqlite retries busy statements until the command timeout (whole seconds; 0 would mean forever).
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
    }.ToString();

    /// <summary>Opens, checks and migrates; the returned connection is the store's single writer.</summary>
    public static SqliteConnection OpenWriter(SqliteStoreOptions options)
    {
        var path = options.Path;
        CheckHeader(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate, options.BusyTimeout));
        try
        {
            connection.Open();
            var busyMs = (int)options.BusyTimeout.TotalMilliseconds;
            SqliteCommands.Execute(connection, $"PRAGMA busy_timeout = {busyMs.ToString(CultureInfo.InvariantCulture)}");

            // Take (and drop) the write lock now, so a file held by another writer fails here with a clear error
            // rather than on the first append. The checks run under it: another process creating or migrating the
            // same file at this moment is then either done or not started, never half-seen.
            SqliteCommands.Execute(connection, "BEGIN IMMEDIATE");
            long version;
            try
            {
                version = CheckOwnership(connection, path);
            }
            finally
            {
                SqliteCommands.Execute(connection, "ROLLBACK");
            }

            SqliteCommands.Execute(connection, "PRAGMA journal_mode = WAL");
            SqliteCommands.Execute(connection, options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            Migrate(connection, version);
            return connection;
        }
        catch (Exception ex) when (SqliteErrors.Classify(ex, path, options.BusyTimeout) is { } error)
        {
            connection.Dispose();
            throw error;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void CheckHeader(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length == 0)
        {
            return;
        }

        Span<byte> header = stackalloc byte[16];
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                throw SqliteErrors.NotOurs(path);
            }
        }

        if (!header.SequenceEqual(Magic))
        {
            throw SqliteErrors.NotOurs(path);
        }
    }

    private static long CheckOwnership(SqliteConnection connection, string path)
    {
        var applicationId = Convert.ToInt64(SqliteCommands.Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt64(SqliteCommands.Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        var tables = Convert.ToInt64(SqliteCommands.Scalar(connection, "SELECT COUNT(*) FROM sqlite_master"), CultureInfo.InvariantCulture);
        if (applicationId == 0 && version == 0 && tables == 0)
        {
            return 0;
        }

        if (applicationId != SqliteSchema.ApplicationId)
        {
            throw SqliteErrors.NotOurs(path);
        }

        if (version > SqliteSchema.Version)
        {
            throw SqliteErrors.TooNew(path, version, SqliteSchema.Version);
        }

        return version;
    }

    private static void Migrate(SqliteConnection connection, long from)
    {
        for (var index = (int)from; index < SqliteSchema.Migrations.Count; index++)
        {
            // One transaction per migration: a crash leaves the file at the previous version, never half-migrated.
            SqliteCommands.Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                // Another process opening the same file may have applied this step since the check.
                if (Convert.ToInt64(SqliteCommands.Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture) > index)
                {
                    SqliteCommands.Execute(connection, "ROLLBACK");
                    continue;
                }

                SqliteCommands.Execute(connection, SqliteSchema.Migrations[index]);
                SqliteCommands.Execute(connection, $"PRAGMA application_id = {SqliteSchema.ApplicationId.ToString(CultureInfo.InvariantCulture)}");
                SqliteCommands.Execute(connection, $"PRAGMA user_version = {(index + 1).ToString(CultureInfo.InvariantCulture)}");
                SqliteCommands.Execute(connection, "COMMIT");
            }
            catch
            {
                SqliteCommands.Execute(connection, "ROLLBACK");
                throw;
            }
        }
    }
}
