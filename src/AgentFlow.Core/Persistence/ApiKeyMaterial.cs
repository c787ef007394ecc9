using System.Security.Cryptography;
using System.Text;

namespace AgentFlow.Core.Persistence;

/// <summary>
/// The key text and its hash, the same for every store: <c>af_&lt;prefix&gt;_&lt;secret&gt;</c> where the prefix is
/// 12 and the secret 64 lowercase hex digits from <see cref="RandomNumberGenerator"/>.
/// </summary>
/// <remarks>
/// The stored hash is a plain SHA-256 of the whole key text: the secret carries 256 random bits, so no slow or salted
/// hash is needed against guessing (those protect low-entropy passwords), and lookups stay cheap per request.
/// </remarks>
public static class ApiKeyMaterial
{
    /// <summary>Length of the prefix in hex digits (48 bits: collisions are retried, not prevented).</summary>
    public const int PrefixLength = 12;

    private const string Marker = "af_";
    private const int SecretBytes = 32;

    /// <summary>A fresh random prefix.</summary>
    public static string NewPrefix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2));

    /// <summary>A fresh key text for <paramref name="prefix"/>.</summary>
    public static string NewKey(string prefix) =>
        Marker + prefix + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The hash stored for a key text (lowercase hex SHA-256 of its UTF-8 bytes).</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The prefix of a presented key text, or null when the text does not have the key shape.</summary>
    public static string? PrefixOf(string? presentedKey)
    {
        if (presentedKey is null
            || presentedKey.Length != Marker.Length + PrefixLength + 1 + (SecretBytes * 2)
            || !presentedKey.StartsWith(Marker, StringComparison.Ordinal)
            || presentedKey[Marker.Length + PrefixLength] != '_')
        {
            return null;
        }

        var prefix = presentedKey.Substring(Marker.Length, PrefixLength);
        return IsPrefix(prefix) ? prefix : null;
    }

    /// <summary>Whether <paramref name="text"/> has the shape of a prefix (12 lowercase hex digits).</summary>
    public static bool IsPrefix(string? text) =>
        text is { Length: PrefixLength } && text.All(static c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Compares a presented key with a stored hash in time independent of where they differ.</summary>
    public static bool Matches(string presentedKey, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        ArgumentNullException.ThrowIfNull(storedHash);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presentedKey)), Encoding.ASCII.GetBytes(storedHash));
    }

    /// <summary>Checks a request against the store's now and returns its scopes de-duplicated in canonical order.</summary>
    /// <exception cref="ArgumentException">What is wrong and how to fix it.</exception>
    public static IReadOnlyList<string> Validate(ApiKeyRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateTenant(request.TenantId);
        if (request.Name is { Length: > 200 })
        {
            throw new ArgumentException($"The key name is {request.Name.Length} characters long; use at most 200.", nameof(request));
        }

        if (request.ExpiresAt is { } expires && expires <= now)
        {
            throw new ArgumentException($"The expiry {expires:O} is not in the future (now is {now:O}); give a later time or none.", nameof(request));
        }

        ArgumentNullException.ThrowIfNull(request.Scopes);
        foreach (var scope in request.Scopes)
        {
            if (!ApiKeyScopes.All.Contains(scope, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Scope '{scope}' is unknown; use one or more of {string.Join(", ", ApiKeyScopes.All)}.", nameof(request));
            }
        }

        var scopes = ApiKeyScopes.All.Where(s => request.Scopes.Contains(s, StringComparer.Ordinal)).ToArray();
        return scopes.Length > 0
            ? scopes
            : throw new ArgumentException($"A key needs at least one scope; use one or more of {string.Join(", ", ApiKeyScopes.All)}.", nameof(request));
    }

    /// <summary>Checks a tenant id: 1–64 characters of ASCII letters, digits, '.', '_' or '-'.</summary>
    /// <exception cref="ArgumentException">The id is empty, too long or has another character.</exception>
    public static void ValidateTenant(string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || tenantId.Length > 64
            || !tenantId.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"Tenant id '{tenantId}' is invalid; use 1 to 64 ASCII letters, digits, '.', '_' or '-'.", nameof(tenantId));
        }
    }

    /// <summary>Scopes as stored: comma-separated.</summary>
    public static string JoinScopes(IReadOnlyList<string> scopes) => string.Join(',', scopes);

    /// <summary>Scopes read back from their stored form.</summary>
    public static IReadOnlyList<string> SplitScopes(string stored) => stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
