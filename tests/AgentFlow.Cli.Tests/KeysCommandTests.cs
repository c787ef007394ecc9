using AgentFlow.Cli.Commands;
using AgentFlow.Cli.Tests.Durability;
using AgentFlow.Core.Persistence;
using AgentFlow.Core.Values;
using AgentFlow.Stores.Postgres;
using AgentFlow.Stores.Sqlite;
using Npgsql;

namespace AgentFlow.Cli.Tests;

/// <summary><c>agentflow keys create | list | revoke</c> against real SQLite files and, when one runs, PostgreSQL.</summary>
public sealed class KeysCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Db => Path.Combine(_directory.Path, "keys.db");

    [Fact]
    public async Task KeysCreate_NewDatabase_PrintsTheKeyOnceAndTheStoreFindsIt()
    {
        var result = await CliRunner.RunAsync("keys", "create", "--tenant", "acme", "--scopes", "read,run", "--name", "ci", "--db", Db);

        Assert.Equal(0, result.ExitCode);
        var key = result.Output.Trim();
        Assert.Matches("^af_[0-9a-f]{12}_[0-9a-f]{64}$", key);
        Assert.Contains($"created key {key[3..15]} for tenant 'acme' (scopes read,run)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.Error, StringComparison.Ordinal);
        await using var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(Db), CancellationToken.None);
        var found = await store.FindApiKeyAsync(key, CancellationToken.None);
        Assert.Equal(("acme", "ci"), (found!.TenantId, found.Name));
        Assert.Equal(["read", "run"], found.Scopes);
    }

    [Fact]
    public async Task KeysList_AfterCreateAndRevoke_ShowsEveryFieldButNeverTheSecret()
    {
        var first = (await CliRunner.RunAsync("keys", "create", "--tenant", "acme", "--scopes", "admin", "--expires", "30d", "--db", Db)).Output.Trim();
        var second = (await CliRunner.RunAsync("keys", "create", "--tenant", "globex", "--scopes", "read", "--db", Db)).Output.Trim();
        var revoked = await CliRunner.RunAsync("keys", "revoke", first[3..15], "--db", Db);

        var all = await CliRunner.RunAsync("keys", "list", "--db", Db);
        var acme = await CliRunner.RunAsync("keys", "list", "--tenant", "acme", "--db", Db);

        Assert.Equal(0, revoked.ExitCode);
        Assert.Contains($"revoked key {first[3..15]}", revoked.Error, StringComparison.Ordinal);
        Assert.Equal(0, all.ExitCode);
        var rows = all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Value.Parse).ToList();
        Assert.Equal([first[3..15], second[3..15]], rows.Select(r => r["prefix"].AsString()));
        Assert.Equal(["acme", "globex"], rows.Select(r => r["tenant"].AsString()));
        Assert.Equal(Value.Array([Value.From("admin")]), rows[0]["scopes"]);
        Assert.False(rows[0]["revokedAt"].IsNull);
        Assert.True(rows[1]["revokedAt"].IsNull);
        Assert.False(rows[0]["expiresAt"].IsNull);
        Assert.True(rows[0]["lastUsedAt"].IsNull);
        Assert.True(DateTimeOffset.Parse(rows[0]["expiresAt"].AsString(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.Parse(rows[0]["createdAt"].AsString(), System.Globalization.CultureInfo.InvariantCulture).AddDays(29));
        Assert.DoesNotContain(first[16..], all.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(second[16..], all.Output, StringComparison.Ordinal);
        Assert.Single(acme.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task KeysRevoke_UnknownOrAlreadyRevoked_FailsWithReason()
    {
        var key = (await CliRunner.RunAsync("keys", "create", "--tenant", "acme", "--scopes", "read", "--db", Db)).Output.Trim();
        await CliRunner.RunAsync("keys", "revoke", key[3..15], "--db", Db);

        var again = await CliRunner.RunAsync("keys", "revoke", key[3..15], "--db", Db);
        var unknown = await CliRunner.RunAsync("keys", "revoke", "ffffffffffff", "--db", Db);

        Assert.Equal((2, 2), (again.ExitCode, unknown.ExitCode));
        Assert.Contains($"key {key[3..15]} was already revoked at", again.Error, StringComparison.Ordinal);
        Assert.Contains("no key with prefix 'ffffffffffff'", unknown.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("read,write", "--expires", "30d", "Scope 'write' is unknown; use one or more of read, run, admin.")]
    [InlineData("read", "--expires", "soon", "--expires 'soon' is not a lifetime")]
    [InlineData("read", "--expires", "2020-01-01T00:00:00Z", "is not in the future")]
    [InlineData("", "--name", "x", "A key needs at least one scope")]
    public async Task KeysCreate_BadInput_ExplainsAndStoresNothing(string scopes, string option, string value, string expected)
    {
        await CliRunner.RunAsync("keys", "create", "--tenant", "acme", "--scopes", "read", "--db", Db);

        var result = await CliRunner.RunAsync("keys", "create", "--tenant", "acme", "--scopes", scopes, option, value, "--db", Db);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
        Assert.Single((await CliRunner.RunAsync("keys", "list", "--db", Db)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task KeysList_MissingDatabase_FailsWithoutCreatingIt()
    {
        var result = await CliRunner.RunAsync("keys", "list", "--db", Db);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not found", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public void ParseExpiry_LifetimeOrIsoTime_FromNow()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddDays(30), KeysActions.ParseExpiry("30d", now));
        Assert.Equal(now.AddHours(12), KeysActions.ParseExpiry("12h", now));
        Assert.Equal(new DateTimeOffset(2027, 1, 31, 0, 0, 0, TimeSpan.Zero), KeysActions.ParseExpiry("2027-01-31", now));
        Assert.Null(KeysActions.ParseExpiry("tomorrow", now));
        Assert.Null(KeysActions.ParseExpiry("0s", now));
    }

    [Fact]
    public async Task KeysCreateListRevoke_Postgres_SameBehaviourAsSqlite()
    {
        var connection = Environment.GetEnvironmentVariable("AGENTFLOW_TEST_POSTGRES");
        if (connection is null)
        {
            Assert.NotEqual("true", Environment.GetEnvironmentVariable("CI"));
            return;
        }

        var schema = $"keys_{Guid.NewGuid():N}"[..20];
        try
        {
            var key = (await CliRunner.RunAsync("keys", "create", "--tenant", "acme", "--scopes", "run", "--postgres", connection, "--postgres-schema", schema)).Output.Trim();
            var revoke = await CliRunner.RunAsync("keys", "revoke", key[3..15], "--postgres", connection, "--postgres-schema", schema);
            var list = await CliRunner.RunAsync("keys", "list", "--postgres", connection, "--postgres-schema", schema);

            Assert.Equal((0, 0), (revoke.ExitCode, list.ExitCode));
            var row = Value.Parse(list.Output.Trim());
            Assert.Equal((key[3..15], "acme"), (row["prefix"].AsString(), row["tenant"].AsString()));
            Assert.False(row["revokedAt"].IsNull);
            await using var store = await PostgresWorkflowStore.OpenAsync(new PostgresStoreOptions { ConnectionString = connection, Schema = schema }, CancellationToken.None);
            Assert.NotNull((await ((IApiKeyStore)store).FindApiKeyAsync(key, CancellationToken.None))!.RevokedAt);
        }
        finally
        {
            await using var database = NpgsqlDataSource.Create(connection);
            await using var drop = database.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }

    public void Dispose() => _directory.Dispose();
}
