using AgentFlow.Core.Persistence;

namespace AgentFlow.Stores.Tests;

public abstract partial class StoreContractTests
{
    private IApiKeyStore Keys => Assert.IsAssignableFrom<IApiKeyStore>(Store);

    [Fact]
    public async Task CreateApiKeyAsync_ThenFindByText_ReturnsTheKeyWithTenantAndCanonicalScopes()
    {
        var created = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["run", "read", "run"], "ci bot", T0.AddDays(30)), Ct);

        Assert.Matches("^af_[0-9a-f]{12}_[0-9a-f]{64}$", created.Secret);
        Assert.StartsWith("af_" + created.Key.Prefix + "_", created.Secret, StringComparison.Ordinal);
        var found = await Keys.FindApiKeyAsync(created.Secret, Ct);
        Assert.NotNull(found);
        Assert.Equal((created.Key.Prefix, "acme", "ci bot", T0, (DateTimeOffset?)T0.AddDays(30)), (found.Prefix, found.TenantId, found.Name, found.CreatedAt, found.ExpiresAt));
        Assert.Equal(["read", "run"], found.Scopes);
        Assert.Equal(["read", "run"], created.Key.Scopes);
        Assert.Null(found.RevokedAt);
        Assert.Null(found.LastUsedAt);
    }

    [Fact]
    public async Task CreateApiKeyAsync_TwoKeys_GetDifferentPrefixesAndSecrets()
    {
        var a = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"]), Ct);
        var b = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"]), Ct);

        Assert.NotEqual(a.Key.Prefix, b.Key.Prefix);
        Assert.NotEqual(a.Secret[^64..], b.Secret[^64..]);
        Assert.Equal(b.Key.Prefix, (await Keys.FindApiKeyAsync(b.Secret, Ct))!.Prefix);
    }

    [Fact]
    public async Task FindApiKeyAsync_RightPrefixWrongSecret_ReturnsNull()
    {
        var created = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["admin"]), Ct);
        var lastDigit = created.Secret[^1] == '0' ? '1' : '0';

        Assert.Null(await Keys.FindApiKeyAsync(created.Secret[..^1] + lastDigit, Ct));
        Assert.Null(await Keys.FindApiKeyAsync(created.Secret.ToUpperInvariant(), Ct));
        Assert.Null(await Keys.FindApiKeyAsync(created.Secret + "0", Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("af_")]
    [InlineData("Bearer something")]
    [InlineData("af_000000000000_0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task FindApiKeyAsync_MalformedOrUnknownText_ReturnsNull(string text)
    {
        await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"]), Ct);

        Assert.Null(await Keys.FindApiKeyAsync(text, Ct));
    }

    [Fact]
    public async Task ListApiKeysAsync_ByTenantOrAll_OldestFirstWithoutOtherTenants()
    {
        var first = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"], "one"), Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        var other = await Keys.CreateApiKeyAsync(new ApiKeyRequest("globex", ["run"]), Ct);
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["admin"], "two"), Ct);

        Assert.Equal([first.Key.Prefix, second.Key.Prefix], (await Keys.ListApiKeysAsync("acme", Ct)).Select(k => k.Prefix));
        Assert.Equal([first.Key.Prefix, other.Key.Prefix, second.Key.Prefix], (await Keys.ListApiKeysAsync(null, Ct)).Select(k => k.Prefix));
        Assert.Empty(await Keys.ListApiKeysAsync("initech", Ct));
    }

    [Fact]
    public async Task RevokeApiKeyAsync_Twice_OnlyFirstSucceedsAndFindShowsRevocationTime()
    {
        var created = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"]), Ct);
        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(await Keys.RevokeApiKeyAsync(created.Key.Prefix, Ct));
        Assert.False(await Keys.RevokeApiKeyAsync(created.Key.Prefix, Ct));
        Assert.False(await Keys.RevokeApiKeyAsync("ffffffffffff", Ct));
        Assert.Equal(T0.AddMinutes(5), (await Keys.FindApiKeyAsync(created.Secret, Ct))!.RevokedAt);
        Assert.Equal(T0.AddMinutes(5), Assert.Single(await Keys.ListApiKeysAsync("acme", Ct)).RevokedAt);
    }

    [Fact]
    public async Task RecordApiKeyUseAsync_KnownAndUnknown_SetsLastUsedOrReturnsFalse()
    {
        var created = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"]), Ct);
        Time.Advance(TimeSpan.FromHours(2));

        Assert.True(await Keys.RecordApiKeyUseAsync(created.Key.Prefix, Ct));
        Assert.False(await Keys.RecordApiKeyUseAsync("ffffffffffff", Ct));
        Assert.Equal(T0.AddHours(2), (await Keys.FindApiKeyAsync(created.Secret, Ct))!.LastUsedAt);
    }

    [Fact]
    public async Task FindApiKeyAsync_AfterExpiry_StillFoundAndReportsExpired()
    {
        var created = await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"], ExpiresAt: T0.AddHours(1)), Ct);
        Time.Advance(TimeSpan.FromHours(2));

        var found = await Keys.FindApiKeyAsync(created.Secret, Ct);

        Assert.True(found!.IsExpiredAt(Time.GetUtcNow()));
        Assert.False(found.IsExpiredAt(T0));
    }

    public static TheoryData<string, string[], string> InvalidKeyRequests => new()
    {
        { "acme", ["read", "delete"], "Scope 'delete' is unknown" },
        { "acme", [], "at least one scope" },
        { "", ["read"], "Tenant id '' is invalid" },
        { "a b", ["read"], "Tenant id 'a b' is invalid" },
    };

    [Theory]
    [MemberData(nameof(InvalidKeyRequests))]
    public async Task CreateApiKeyAsync_InvalidRequest_ThrowsPreciseErrorAndStoresNothing(string tenant, string[] scopes, string expected)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await Keys.CreateApiKeyAsync(new ApiKeyRequest(tenant, scopes), Ct));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await Keys.ListApiKeysAsync(null, Ct));
    }

    [Fact]
    public async Task CreateApiKeyAsync_ExpiryNotInFuture_ThrowsAndStoresNothing()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await Keys.CreateApiKeyAsync(new ApiKeyRequest("acme", ["read"], ExpiresAt: T0), Ct));

        Assert.Contains("not in the future", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Keys.ListApiKeysAsync(null, Ct));
    }
}
