using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Loupe.Application.AdminJobs;
using Loupe.Application.Common.Jobs;
using Microsoft.AspNetCore.Antiforgery;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// Writes the jobs dashboard's pages (ADR 0070): plain HTML, every value from the database or the
/// request HTML-encoded on the way in through <see cref="Text"/>, no inline script or style (the
/// pages' policy refuses both), one style sheet and one script of Loupe's own.
/// </summary>
internal static class JobsDashboardHtml
{
    /// <summary>How much of a failed job's error the overview and the lists show; the job's own page shows the rest.</summary>
    public const int ErrorSummaryLength = 200;

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string SignIn(AntiforgeryTokenSet antiforgery, string? email, string? notice)
    {
        var html = Start("Sign in · Loupe jobs", script: false);
        html.Append("<main><form class=\"sign-in\" method=\"post\" action=\"/jobs/sign-in\">")
            .Append("<h1>Loupe jobs</h1><p>Sign in as an instance administrator.</p>");
        if (notice is not null)
        {
            html.Append("<p class=\"notice\" role=\"alert\">").Append(Text(notice)).Append("</p>");
        }

        AntiforgeryField(html, antiforgery);
        html.Append("<label for=\"email\">Email</label>")
            .Append("<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"").Append(Text(email ?? string.Empty)).Append("\">")
            .Append("<label for=\"password\">Password</label>")
            .Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
            .Append("<button type=\"submit\">Sign in</button></form></main>");
        return End(html);
    }

    public static string Overview(JobsOverviewDto overview, AntiforgeryTokenSet antiforgery)
    {
        var html = Start("Overview · Loupe jobs", script: true);
        Header(html, antiforgery, "/jobs");
        html.Append("<main><h2>Jobs by status</h2><dl class=\"counts\">");
        foreach (var status in AdminJobStatuses.All)
        {
            var name = StatusName(status);
            var jobs = overview.Counts.TryGetValue(name, out var count) ? count : 0;
            html.Append("<div class=\"").Append(name).Append("\"><dt><a href=\"/jobs/list?state=").Append(name).Append("\">").Append(Text(StatusLabel(status)))
                .Append("</a></dt><dd data-job-count=\"").Append(name).Append("\">").Append(Number(jobs)).Append("</dd></div>");
        }

        html.Append("</dl><p class=\"refresh\" id=\"refresh-status\">Reload the page to update.</p>");

        // Drawn by the script from /jobs/overview.json; without it, the history below still tells.
        html.Append("<h2>Finished per second, last minute</h2>")
            .Append("<svg id=\"realtime\" class=\"chart\" viewBox=\"0 0 600 120\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"Succeeded and failed jobs per second over the last minute\"></svg>")
            .Append("<p class=\"legend\"><span class=\"swatch succeeded\"></span>Succeeded <span class=\"swatch failed\"></span>Failed (and dead-lettered)</p>");

        html.Append("<h2>Last 24 hours</h2>");
        History(html, "history-24h", overview.Last24Hours, "per hour", at => at.UtcDateTime.ToString("HH:00", CultureInfo.InvariantCulture));
        html.Append("<h2>Last 7 days</h2>");
        History(html, "history-7d", overview.Last7Days, "per day", at => at.UtcDateTime.ToString("ddd dd MMM", CultureInfo.InvariantCulture));

        html.Append("<h2>Queues</h2><p id=\"oldest-queued\">");
        html.Append(overview.OldestQueuedAgeSeconds is { } oldest
            ? "The oldest due job has waited " + Text(Age(TimeSpan.FromSeconds(oldest))) + "."
            : "No due job is waiting.");
        html.Append("</p>");
        if (overview.Queues.Count > 0)
        {
            html.Append("<table id=\"queues\"><thead><tr><th>Queue</th><th>Priority</th><th>Due jobs</th><th>Oldest due since</th></tr></thead><tbody>");
            foreach (var queue in overview.Queues)
            {
                html.Append("<tr><td><a href=\"").Append(Text(JobsListFilter.QueuedIn(queue.Queue))).Append("\">").Append(Text(queue.Queue)).Append("</a></td><td>").Append(Text(PriorityName(queue.Priority)))
                    .Append("</td><td>").Append(Number(queue.Depth)).Append("</td><td>").Append(Time(queue.OldestRunAt)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<h2>Running</h2>");
        if (overview.Running.Count == 0)
        {
            html.Append("<p class=\"empty\">No job is running.</p>");
        }
        else
        {
            html.Append("<table id=\"running\"><thead><tr><th>Job</th><th>Queue</th><th>Organization</th><th>Attempt</th><th>Node</th><th>Started</th><th>Heartbeat</th><th>Lease expires</th></tr></thead><tbody>");
            foreach (var job in overview.Running)
            {
                html.Append("<tr><td>").Append(JobLink(job)).Append("</td><td>").Append(Text(job.Queue)).Append("</td><td>").Append(Organization(job.OrganizationId))
                    .Append("</td><td>").Append(Attempts(job)).Append("</td><td>").Append(Text(job.Node ?? string.Empty))
                    .Append("</td><td>").Append(OptionalTime(job.ClaimedAt)).Append("</td><td>").Append(HeartbeatAge(job))
                    .Append("</td><td>").Append(OptionalTime(job.LeaseExpiresAt)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<h2>Latest failures</h2>");
        if (overview.LatestFailures.Count == 0)
        {
            html.Append("<p class=\"empty\">No job has failed.</p>");
        }
        else
        {
            html.Append("<table id=\"failures\"><thead><tr><th>Job</th><th>Status</th><th>Organization</th><th>Attempts</th><th>Finished</th><th>Error</th></tr></thead><tbody>");
            foreach (var job in overview.LatestFailures)
            {
                html.Append("<tr><td>").Append(JobLink(job)).Append("</td><td>").Append(Text(StatusLabel(job.Status))).Append("</td><td>").Append(Organization(job.OrganizationId))
                    .Append("</td><td>").Append(Attempts(job)).Append("</td><td>").Append(OptionalTime(job.FinishedAt))
                    .Append("</td><td class=\"error\">").Append(Text(ErrorSummary(job.Error))).Append("</td></tr>");
            }

            html.Append("</tbody></table><p><a href=\"/jobs/list?state=failed\">All failed jobs</a> · <a href=\"/jobs/list?state=dead_lettered\">All dead-lettered jobs</a></p>");
        }

        html.Append("</main>");
        return End(html);
    }

    /// <summary>A bar chart of finished jobs per bucket (succeeded below, failed stacked on top), readable without script, with its numbers in a table.</summary>
    internal static void History(StringBuilder html, string id, IReadOnlyList<ThroughputDto> buckets, string per, Func<DateTimeOffset, string> label)
    {
        const double width = 600;
        const double height = 120;
        var highest = Math.Max(1, buckets.Count == 0 ? 0 : buckets.Max(b => b.Succeeded + b.Failed));
        var step = width / Math.Max(1, buckets.Count);
        var bar = Math.Max(1, step - 2);
        var succeeded = buckets.Sum(b => b.Succeeded);
        var failed = buckets.Sum(b => b.Failed);
        html.Append("<svg id=\"").Append(id).Append("\" class=\"chart\" viewBox=\"0 0 600 120\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
            .Append(Text($"Finished jobs {per}: {succeeded} succeeded, {failed} failed")).Append("\">");
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var okHeight = height * b.Succeeded / highest;
            var failedHeight = height * b.Failed / highest;
            var x = Coordinate(i * step);
            html.Append("<g><title>").Append(Text($"{label(b.Start)}: {b.Succeeded} succeeded, {b.Failed} failed")).Append("</title>")
                .Append("<rect class=\"succeeded\" x=\"").Append(x).Append("\" y=\"").Append(Coordinate(height - okHeight)).Append("\" width=\"").Append(Coordinate(bar))
                .Append("\" height=\"").Append(Coordinate(okHeight)).Append("\"></rect>")
                .Append("<rect class=\"failed\" x=\"").Append(x).Append("\" y=\"").Append(Coordinate(height - okHeight - failedHeight)).Append("\" width=\"").Append(Coordinate(bar))
                .Append("\" height=\"").Append(Coordinate(failedHeight)).Append("\"></rect></g>");
        }

        html.Append("</svg><details><summary>").Append(Text($"{succeeded} succeeded, {failed} failed: the numbers {per}")).Append("</summary><table class=\"history\"><thead><tr><th>From (UTC)</th><th>Succeeded</th><th>Failed</th></tr></thead><tbody>");
        foreach (var b in buckets)
        {
            html.Append("<tr><td>").Append(Time(b.Start)).Append("</td><td>").Append(Number(b.Succeeded)).Append("</td><td>").Append(Number(b.Failed)).Append("</td></tr>");
        }

        html.Append("</tbody></table></details>");
    }

    /// <summary>A link to the job's own page, named by its kind.</summary>
    internal static string JobLink(AdminJobDto job) =>
        "<a href=\"/jobs/" + job.Id.ToString() + "\">" + Text(job.Kind) + "</a>";

    internal static string Attempts(AdminJobDto job) =>
        job.Attempt.ToString(CultureInfo.InvariantCulture) + " of " + job.MaxAttempts.ToString(CultureInfo.InvariantCulture);

    internal static string HeartbeatAge(AdminJobDto job) =>
        job.HeartbeatAgeSeconds is { } age ? Text(Age(TimeSpan.FromSeconds(age))) + " ago" : string.Empty;

    internal static string OptionalTime(DateTimeOffset? at) => at is { } value ? Time(value) : string.Empty;

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string PriorityName(JobPriority priority) => priority.ToString().ToLowerInvariant();

    private static string Coordinate(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Refused(string message) => End(Start("Refused · Loupe jobs", script: false)
        .Append("<main><p class=\"notice\" role=\"alert\">").Append(Text(message)).Append("</p><p><a href=\"/jobs/sign-in\">Sign in</a></p></main>"));

    /// <summary>The wire name of a status (snake_case, as in the JSON and the API).</summary>
    public static string StatusName(JobStatus status) => status switch
    {
        JobStatus.DeadLettered => "dead_lettered",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>An error's first line, cut to <see cref="ErrorSummaryLength"/> characters.</summary>
    public static string ErrorSummary(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return string.Empty;
        }

        var firstLine = error.Split('\n', 2)[0].TrimEnd('\r');
        return firstLine.Length <= ErrorSummaryLength ? firstLine : string.Concat(firstLine.AsSpan(0, ErrorSummaryLength), "…");
    }

    /// <summary>HTML-encodes text for an element's content or a quoted attribute value.</summary>
    public static string Text(string value) => Encoder.Encode(value);

    internal static string StatusLabel(JobStatus status) => status switch
    {
        JobStatus.DeadLettered => "Dead-lettered",
        _ => status.ToString(),
    };

    internal static string Organization(Guid? id) => id is { } value ? value.ToString() : "instance";

    internal static string Time(DateTimeOffset at) =>
        "<time datetime=\"" + at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "\">"
        + at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC</time>";

    internal static string Age(TimeSpan age) => age < TimeSpan.Zero ? "0 s"
        : age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds} s"
        : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes} min"
        : $"{(int)age.TotalHours} h";

    /// <summary>The pages every page links to, in the navigation's order: address and label.</summary>
    internal static readonly IReadOnlyList<(string Path, string Label)> Sections =
    [
        ("/jobs", "Overview"),
        ("/jobs/list", "Jobs"),
        ("/jobs/recurring", "Recurring"),
        ("/jobs/queues", "Queues"),
        ("/jobs/servers", "Servers"),
    ];

    /// <summary>The bar at the top of every signed-in page: the navigation (the current section marked) and the sign-out form.</summary>
    internal static void Header(StringBuilder html, AntiforgeryTokenSet antiforgery, string currentPath)
    {
        html.Append("<header><h1>Loupe jobs</h1><nav aria-label=\"Sections\"><ul>");
        foreach (var (path, label) in Sections)
        {
            html.Append("<li><a href=\"").Append(path).Append('"');
            if (string.Equals(path, currentPath, StringComparison.Ordinal))
            {
                html.Append(" aria-current=\"page\"");
            }

            html.Append('>').Append(Text(label)).Append("</a></li>");
        }

        html.Append("</ul></nav><form method=\"post\" action=\"/jobs/sign-out\">");
        AntiforgeryField(html, antiforgery);
        html.Append("<button type=\"submit\">Sign out</button></form></header>");
    }

    internal static void AntiforgeryField(StringBuilder html, AntiforgeryTokenSet antiforgery) =>
        html.Append("<input type=\"hidden\" name=\"").Append(Text(antiforgery.FormFieldName)).Append("\" value=\"")
            .Append(Text(antiforgery.RequestToken ?? string.Empty)).Append("\">");

    internal static StringBuilder Start(string title, bool script)
    {
        var html = new StringBuilder(4096)
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Text(title)).Append("</title><link rel=\"icon\" href=\"/jobs/assets/favicon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/jobs/assets/jobs.css\">");
        if (script)
        {
            html.Append("<script src=\"/jobs/assets/jobs.js\" defer></script>");
        }

        return html.Append("</head><body>");
    }

    internal static string End(StringBuilder html) => html.Append("</body></html>").ToString();
}
