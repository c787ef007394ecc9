using System.Globalization;
using System.Text;

namespace AgentFlow.Core.Persistence;

/// <summary>
/// The keyset position after a row (its created time and execution id), encoded opaquely so callers do not depend
/// on it. Shared by every store so the position means the same everywhere.
/// </summary>
public static class PageToken
{
    /// <summary>The token pointing after the given row.</summary>
    public static string Encode(DateTimeOffset createdAt, string executionId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + executionId));

    /// <summary>Reads a token.</summary>
    /// <exception cref="ArgumentException">The token was not produced by <see cref="Encode"/>.</exception>
    public static (long CreatedTicks, string ExecutionId) Decode(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return (ticks, text[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Falls through to the one error callers see.
        }

        throw new ArgumentException("The page token is not one this store issued; pass the NextPageToken of the previous page unchanged.", nameof(token));
    }
}
