using System.Globalization;
using System.Xml;

namespace AgentFlow.Core.Dsl;

/// <summary>Parses DSL durations: <c>250ms</c>, <c>5s</c>, <c>1m30s</c>, <c>2h</c>, <c>1d</c>, ISO-8601 <c>PT5S</c>, or a bare number of seconds.</summary>
public static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a duration.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.Trim();
        if (s.Length == 0)
        {
            return false;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TryFromSeconds(seconds, out duration);
        }

        if (s[0] is 'P' or 'p' or '-' && s.Contains('P', StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(s.ToUpperInvariant());
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return TryParseUnits(s, out duration);
    }

    /// <summary>A number of seconds as a duration; false for NaN, infinity or out of range.</summary>
    public static bool TryFromSeconds(double seconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    // Sequence of <number><unit> pieces, largest unit first is not enforced: "90s" and "1m30s" are both fine.
    private static bool TryParseUnits(string s, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        double totalSeconds = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            double? factor = s[unitStart..i] switch
            {
                "ms" => 0.001,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                "d" => 86400,
                _ => null,
            };
            if (factor is null)
            {
                return false;
            }

            totalSeconds += number * factor.Value;
        }

        return TryFromSeconds(totalSeconds, out duration);
    }
}
