using System.Net;

namespace AgentFlow.Server.Security;

/// <summary>Decides whether listen addresses reach only this machine, the condition for running without API keys.</summary>
internal static class LoopbackBinding
{
    /// <summary>The first address in <paramref name="urls"/> that is not loopback, or null when all are.</summary>
    /// <remarks>
    /// Wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) and host names other than <c>localhost</c> count as
    /// reachable from elsewhere: a name can resolve to any interface.
    /// </remarks>
    public static string? FirstNonLoopback(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            if (!IsLoopback(url))
            {
                return url;
            }
        }

        return null;
    }

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards are not valid URI hosts; read the host between "://" and the port by hand.
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        var host = end <= 0 ? rest : rest[..end];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
