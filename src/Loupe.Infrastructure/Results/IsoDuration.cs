using System.Globalization;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// An interval as an ISO 8601 duration, character for character as PostgreSQL writes it with
/// <c>intervalstyle = iso_8601</c> (ADR 0044): <c>P1Y2M3DT4H5M6.5S</c>, each part with its own sign
/// (<c>P-1Y-2M3DT-4H</c>), zero parts left out, and <c>PT0S</c> for a zero interval.
/// </summary>
internal static class IsoDuration
{
    private const long MicrosecondsPerSecond = 1_000_000;
    private const long MicrosecondsPerMinute = 60 * MicrosecondsPerSecond;
    private const long MicrosecondsPerHour = 60 * MicrosecondsPerMinute;

    /// <summary>Months, days and microseconds, as PostgreSQL keeps an interval.</summary>
    public static string Format(int months, int days, long microseconds)
    {
        var years = months / 12;
        var monthPart = months % 12;
        var hours = microseconds / MicrosecondsPerHour;
        var rest = microseconds - (hours * MicrosecondsPerHour);
        var minutes = rest / MicrosecondsPerMinute;
        rest -= minutes * MicrosecondsPerMinute;
        var seconds = rest / MicrosecondsPerSecond;
        var fraction = rest - (seconds * MicrosecondsPerSecond);
        if (years == 0 && monthPart == 0 && days == 0 && microseconds == 0)
        {
            return "PT0S";
        }

        var text = new System.Text.StringBuilder("P", 32);
        Part(text, years, 'Y');
        Part(text, monthPart, 'M');
        Part(text, days, 'D');
        if (microseconds != 0)
        {
            text.Append('T');
        }

        Part(text, hours, 'H');
        Part(text, minutes, 'M');
        if (seconds != 0 || fraction != 0)
        {
            if (seconds < 0 || fraction < 0)
            {
                text.Append('-');
            }

            text.Append(Math.Abs(seconds).ToString(CultureInfo.InvariantCulture));
            if (fraction != 0)
            {
                text.Append('.').Append(Math.Abs(fraction).ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0'));
            }

            text.Append('S');
        }

        return text.ToString();
    }

    /// <summary>A span of time without months (what a <see cref="TimeSpan"/> holds): whole days, then the rest.</summary>
    public static string Format(TimeSpan span)
    {
        var microseconds = span.Ticks / TimeSpan.TicksPerMicrosecond;
        var days = microseconds / (24 * MicrosecondsPerHour);
        return Format(0, (int)days, microseconds - (days * 24 * MicrosecondsPerHour));
    }

    private static void Part(System.Text.StringBuilder text, long value, char unit)
    {
        if (value != 0)
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }
}
