using System.Collections.Concurrent;
using Cronos;
using Loupe.Domain.Schedules;

namespace Loupe.Infrastructure.Schedules;

/// <summary>
/// Fire times from Cronos: 5 fields, or 6 with seconds first, or one of its macros (<c>@hourly</c>,
/// <c>@daily</c>, …). Cronos reads wall-clock times across daylight-saving changes as
/// <see cref="IFireTimes"/> describes. Standard cron's rule for the two day fields is applied here,
/// not left to the library: when day-of-month and day-of-week are both restricted, the expression is
/// read as two (each with the other day field <c>*</c>) and the earlier time of the two is taken, so
/// a day matching either fires. Parsed expressions are kept (a few thousand at most).
/// </summary>
internal sealed class CronosFireTimes : IFireTimes
{
    private const int CacheLimit = 4_096;

    private static readonly Dictionary<string, TimeSpan> MacroIntervals = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@every_second"] = TimeSpan.FromSeconds(1),
        ["@every_minute"] = TimeSpan.FromMinutes(1),
        ["@hourly"] = TimeSpan.FromHours(1),
        ["@daily"] = TimeSpan.FromDays(1),
        ["@midnight"] = TimeSpan.FromDays(1),
        ["@weekly"] = TimeSpan.FromDays(7),
        ["@monthly"] = TimeSpan.FromDays(28),
        ["@yearly"] = TimeSpan.FromDays(365),
        ["@annually"] = TimeSpan.FromDays(365),
    };

    private readonly ConcurrentDictionary<string, Parsed> _parsed = new(StringComparer.Ordinal);

    public string? Problem(string cron) => Parse(cron).Problem;

    public TimeSpan ShortestInterval(string cron) => Valid(cron).Shortest;

    public DateTimeOffset? NextAfter(string cron, TimeZoneInfo zone, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var parsed = Valid(cron);
        DateTimeOffset? next = null;
        foreach (var expression in parsed.Expressions)
        {
            var candidate = expression.GetNextOccurrence(after.ToUniversalTime(), zone, inclusive: false);
            if (candidate is { } time && (next is null || time < next))
            {
                next = time;
            }
        }

        return next?.ToUniversalTime();
    }

    private Parsed Valid(string cron)
    {
        var parsed = Parse(cron);
        return parsed.Problem is null ? parsed : throw new ArgumentException($"Not a valid cron expression: {parsed.Problem}", nameof(cron));
    }

    private Parsed Parse(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        if (_parsed.TryGetValue(cron, out var known))
        {
            return known;
        }

        var parsed = Read(cron.Trim());
        if (_parsed.Count >= CacheLimit)
        {
            _parsed.Clear();
        }

        _parsed[cron] = parsed;
        return parsed;
    }

    private static Parsed Read(string cron)
    {
        if (cron.StartsWith('@'))
        {
            return MacroIntervals.TryGetValue(cron, out var interval) && TryParse(cron, CronFormat.IncludeSeconds, out var macro, out _)
                ? new Parsed([macro!], interval, null)
                : Refused($"'{cron}' is not a cron macro; the macros are {string.Join(", ", MacroIntervals.Keys)}.");
        }

        var fields = cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            return Refused($"A cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; this one has {fields.Length}.");
        }

        var withSeconds = fields.Length == 6;
        var format = withSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (!TryParse(string.Join(' ', fields), format, out var whole, out var problem))
        {
            return Refused(problem!);
        }

        var dayOfMonth = withSeconds ? 3 : 2;
        var dayOfWeek = dayOfMonth + 2;
        CronExpression[] expressions = [whole!];
        if (IsRestricted(fields[dayOfMonth]) && IsRestricted(fields[dayOfWeek]))
        {
            // Either day field matching fires: the expression with only day-of-month, and the one with only day-of-week.
            var monthDays = (string[])fields.Clone();
            monthDays[dayOfWeek] = "*";
            var weekDays = (string[])fields.Clone();
            weekDays[dayOfMonth] = "*";
            expressions = [CronExpression.Parse(string.Join(' ', monthDays), format), CronExpression.Parse(string.Join(' ', weekDays), format)];
        }

        var timeOfDay = withSeconds ? $"{fields[0]} {fields[1]} {fields[2]} * * *" : $"0 {fields[0]} {fields[1]} * * *";
        return new Parsed(expressions, Shortest(CronExpression.Parse(timeOfDay, CronFormat.IncludeSeconds)), null);
    }

    /// <summary>The shortest gap between the times of day, and from the last time of a day to the first of the next.</summary>
    private static TimeSpan Shortest(CronExpression timeOfDay)
    {
        var day = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        DateTime? first = null;
        DateTime? previous = null;
        var shortest = TimeSpan.FromDays(1);
        foreach (var time in timeOfDay.GetOccurrences(day, day.AddDays(1), fromInclusive: true, toInclusive: false))
        {
            first ??= time;
            if (previous is { } before && time - before < shortest)
            {
                shortest = time - before;
            }

            previous = time;
        }

        if (first is { } start && previous is { } end)
        {
            var overnight = TimeSpan.FromDays(1) - (end - start);
            shortest = overnight < shortest ? overnight : shortest;
        }

        return shortest;
    }

    private static bool IsRestricted(string field) => field is not ("*" or "?");

    private static bool TryParse(string cron, CronFormat format, out CronExpression? expression, out string? problem)
    {
        try
        {
            expression = CronExpression.Parse(cron, format);
            problem = null;
            return true;
        }
        catch (CronFormatException e)
        {
            expression = null;
            problem = e.Message;
            return false;
        }
    }

    private static Parsed Refused(string problem) => new([], TimeSpan.Zero, problem);

    private sealed record Parsed(CronExpression[] Expressions, TimeSpan Shortest, string? Problem);
}
