using System.Text;
using AgentFlow.Core.Persistence;
using AgentFlow.Stores.Sqlite;

namespace AgentFlow.Stores.Tests.Sqlite;

/// <summary>What the SQLite file holds for a key: its hash and prefix, never the key text.</summary>
public sealed class SqliteApiKeyFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task CreateApiKeyAsync_FileAndWal_HoldOnlyTheHashNeverTheSecret()
    {
        var path = _directory.File("keys.db");
        CreatedApiKey created;
        await using (var store = await SqliteWorkflowStore.OpenAsync(new SqliteStoreOptions(path), CancellationToken.None))
        {
            created = await store.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"]), CancellationToken.None);
        }

        var secretPart = Encoding.UTF8.GetBytes(created.Secret[^64..]);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!))
        {
            Assert.Equal(-1, File.ReadAllBytes(file).AsSpan().IndexOf(secretPart));
        }

        using var raw = SqliteTestFiles.Open(path);
        Assert.Equal(ApiKeyMaterial.Hash(created.Secret), SqliteTestFiles.Scalar(raw, $"SELECT secret_hash FROM api_keys WHERE prefix = '{created.Key.Prefix}'"));
    }

    public void Dispose() => _directory.Dispose();
}
