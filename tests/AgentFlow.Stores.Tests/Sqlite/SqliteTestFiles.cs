using Microsoft.Data.Sqlite;

namespace AgentFlow.Stores.Tests.Sqlite;

/// <summary>Raw SQLite access for setting up files the store must refuse.</summary>
internal static class SqliteTestFiles
{
    public static SqliteConnection Open(string path)
    {
        SQLitePCL.Batteries_V2.Init();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        Scalar(connection, sql);
    }
}
