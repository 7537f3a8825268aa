using System.Globalization;
using Loupe.Application.AdminJobs;
using Loupe.Application.Common.Jobs;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// What <c>/jobs/list</c> shows, read from its address: one state (none: every state), a kind, an
/// organization, an enqueue-time range, a queue and the cursor of the page. Each value is checked here so a
/// bad one answers a page that says what is wrong, never an error page.
/// </summary>
internal sealed record JobsListFilter(
    JobStatus? State = null,
    string? Kind = null,
    Guid? OrganizationId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    Guid? Cursor = null,
    string? Queue = null)
{
    /// <summary>The longest kind the filter accepts, as the API's list does.</summary>
    public const int KindMaxLength = 100;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>
    /// Reads the filter from the address's query; unknown parameters are ignored, empty ones mean "any".
    /// On a bad value, <paramref name="error"/> says which field and what it takes.
    /// </summary>
    public static bool TryParse(IReadOnlyDictionary<string, string?> query, out JobsListFilter filter, out string? error)
    {
        filter = new JobsListFilter();
        error = null;
        string? Value(string name) => query.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        JobStatus? state = null;
        if (Value("state") is { } stateText)
        {
            var index = IndexOf(AdminJobStatuses.Names, stateText);
            if (index < 0)
            {
                error = $"State: one of {string.Join(", ", AdminJobStatuses.Names)}.";
                return false;
            }

            state = AdminJobStatuses.All[index];
        }

        var kind = Value("kind");
        if (kind is { Length: > KindMaxLength })
        {
            error = $"Kind: at most {KindMaxLength} characters.";
            return false;
        }

        var queue = Value("queue");
        if (queue is not null && !JobQueueNames.IsValid(queue))
        {
            error = $"Queue: a queue's name, 1–{JobQueueNames.MaxLength} lower-case letters, digits, '.', '-' or '_'.";
            return false;
        }

        Guid? organization = null;
        if (Value("organization_id") is { } organizationText)
        {
            if (!Guid.TryParse(organizationText, out var id))
            {
                error = "Organization: an organization's id (a UUID such as 0190a6b2-7c5e-7d3a-9f00-1234567890ab).";
                return false;
            }

            organization = id;
        }

        if (!TryTime(Value("from"), out var from) || !TryTime(Value("to"), out var to))
        {
            error = "From and to: a date and time in UTC, such as 2026-05-01T08:00 or 2026-05-01T08:00:00Z.";
            return false;
        }

        if (from is not null && to is not null && to <= from)
        {
            error = "To: after from.";
            return false;
        }

        Guid? cursor = null;
        if (Value("cursor") is { } cursorText)
        {
            if (!Guid.TryParse(cursorText, out var id))
            {
                error = "Cursor: follow the page's own “Older” link.";
                return false;
            }

            cursor = id;
        }

        filter = new JobsListFilter(state, kind, organization, from, to, cursor, queue);
        return true;
    }

    /// <summary>The query of this filter's address (without <c>?</c>), with another state and cursor when given.</summary>
    public string Query(bool withState = true, bool withCursor = true)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("state", withState && State is { } state ? AdminJobStatuses.Name(state) : null);
        Add("kind", Kind);
        Add("queue", Queue);
        Add("organization_id", OrganizationId?.ToString());
        Add("from", From is { } from ? Format(from) : null);
        Add("to", To is { } to ? Format(to) : null);
        Add("cursor", withCursor ? Cursor?.ToString() : null);
        return string.Join('&', parts);
    }

    /// <summary>The list of what waits in one queue (its due jobs), where a queue's name links to.</summary>
    public static string QueuedIn(string queue) => new JobsListFilter(State: JobStatus.Queued, Queue: queue).Path();

    /// <summary>The address of the list this filter shows.</summary>
    public string Path() => Query() is { Length: > 0 } query ? "/jobs/list?" + query : "/jobs/list";

    /// <summary>A time as the filter's address and form write it (UTC, to the second).</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        // To the second: what the form can show and send back unchanged.
        time = new DateTimeOffset(parsed.UtcTicks - (parsed.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return true;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
