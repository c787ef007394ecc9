using System.Globalization;
using System.Xml;

namespace AgentFlow.Core.Values;

/// <summary>Parses durations as written in workflows: <c>250ms</c>, <c>5s</c>, <c>1m30s</c>, <c>2h</c>, <c>1d</c>, ISO-8601 <c>PT5S</c>, or a number of seconds.</summary>
public static class Duration
{
    /// <summary>Parses a duration string; false when it is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span[0] is 'P' or 'p')
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(span.ToString().ToUpperInvariant());
                return duration >= TimeSpan.Zero;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        if (double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TryFromSeconds(seconds, out duration);
        }

        var total = 0d;
        var position = 0;
        while (position < span.Length)
        {
            var start = position;
            while (position < span.Length && (char.IsAsciiDigit(span[position]) || span[position] == '.'))
            {
                position++;
            }

            if (start == position || !double.TryParse(span[start..position], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unitStart = position;
            while (position < span.Length && char.IsAsciiLetter(span[position]))
            {
                position++;
            }

            double? factor = span[unitStart..position] switch
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

            total += amount * factor.Value;
        }

        return TryFromSeconds(total, out duration);
    }

    /// <summary>Reads a duration from a value: a duration string or a number of seconds.</summary>
    public static bool TryFromValue(Value value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        return value.Kind switch
        {
            ValueKind.Number => TryFromSeconds(value.AsNumber(), out duration),
            ValueKind.String => TryParse(value.AsString(), out duration),
            _ => false,
        };
    }

    /// <summary>Formats compactly, e.g. <c>1.5s</c>, <c>250ms</c>, <c>2m5s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1))
        {
            return $"{duration.TotalMilliseconds.ToString("0.##", CultureInfo.InvariantCulture)}ms";
        }

        if (duration < TimeSpan.FromMinutes(1))
        {
            return $"{duration.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)}s";
        }

        return duration < TimeSpan.FromHours(1)
            ? $"{(int)duration.TotalMinutes}m{duration.Seconds}s"
            : $"{(int)duration.TotalHours}h{duration.Minutes}m";
    }

    private static bool TryFromSeconds(double seconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (double.IsNaN(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
