namespace AgentFlow.Core.Persistence;

/// <summary>What to create a key for.</summary>
/// <param name="TenantId">1–64 characters of letters, digits, '.', '_' or '-'.</param>
/// <param name="Scopes">At least one of <see cref="ApiKeyScopes.All"/>; duplicates are ignored.</param>
/// <param name="Name">A label for people (at most 200 characters); null for none.</param>
/// <param name="ExpiresAt">When the key stops working, later than the store's now; null for never.</param>
public sealed record ApiKeyRequest(string TenantId, IReadOnlyList<string> Scopes, string? Name = null, DateTimeOffset? ExpiresAt = null);
