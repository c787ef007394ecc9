using System.Security.Cryptography;
using System.Text;

namespace AgentFlow.Core.Persistence;

/// <summary>The content hash every store gives a definition's source, so hashes agree across stores.</summary>
public static class DefinitionHash
{
    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes of <paramref name="source"/>.</summary>
    public static string Compute(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
    }
}
