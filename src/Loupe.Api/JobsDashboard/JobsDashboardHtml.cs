using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Loupe.Application.Common.Jobs;
using Loupe.Application.JobsDashboard.Queries.GetJobsOverview;
using Microsoft.AspNetCore.Antiforgery;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// Writes the jobs dashboard's pages (ADR 0070): plain HTML, every value from the database or the
/// request HTML-encoded on the way in through <see cref="Text"/>, no inline script or style (the
/// pages' policy refuses both), one style sheet and one script of Loupe's own.
/// </summary>
internal static class JobsDashboardHtml
{
    /// <summary>How much of a failed job's error the overview shows; the job's own page will show the rest.</summary>
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

    public static string Overview(JobsOverview overview, AntiforgeryTokenSet antiforgery, DateTimeOffset now)
    {
        var html = Start("Overview · Loupe jobs", script: true);
        Header(html, antiforgery, "/jobs");
        html.Append("<main><h2>Jobs by status</h2><dl class=\"counts\">");
        foreach (var count in overview.Counts)
        {
            var name = StatusName(count.Status);
            html.Append("<div class=\"").Append(name).Append("\"><dt>").Append(Text(StatusLabel(count.Status))).Append("</dt><dd data-job-count=\"")
                .Append(name).Append("\">").Append(count.Jobs.ToString(CultureInfo.InvariantCulture)).Append("</dd></div>");
        }

        html.Append("</dl><p class=\"refresh\" id=\"refresh-status\">Reload the page to update.</p>");

        html.Append("<h2>Running</h2>");
        if (overview.Running.Count == 0)
        {
            html.Append("<p class=\"empty\">No job is running.</p>");
        }
        else
        {
            html.Append("<table id=\"running\"><thead><tr><th>Kind</th><th>Queue</th><th>Organization</th><th>Attempt</th><th>Node</th><th>Started</th><th>Heartbeat</th><th>Lease expires</th></tr></thead><tbody>");
            foreach (var job in overview.Running)
            {
                html.Append("<tr><td>").Append(Text(job.Kind)).Append("</td><td>").Append(Text(job.Queue)).Append("</td><td>").Append(Organization(job.OrganizationId))
                    .Append("</td><td>").Append(job.Attempt.ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(job.MaxAttempts.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(Text(job.Node)).Append("</td><td>").Append(Time(job.ClaimedAt))
                    .Append("</td><td>").Append(Text(Age(now - job.HeartbeatAt))).Append(" ago</td><td>").Append(Time(job.LeaseExpiresAt)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<h2>Recent failures</h2>");
        if (overview.RecentFailures.Count == 0)
        {
            html.Append("<p class=\"empty\">No job has failed.</p>");
        }
        else
        {
            html.Append("<table id=\"failures\"><thead><tr><th>Kind</th><th>Status</th><th>Organization</th><th>Attempts</th><th>Finished</th><th>Error</th></tr></thead><tbody>");
            foreach (var job in overview.RecentFailures)
            {
                html.Append("<tr><td>").Append(Text(job.Kind)).Append("</td><td>").Append(Text(StatusLabel(job.Status))).Append("</td><td>").Append(Organization(job.OrganizationId))
                    .Append("</td><td>").Append(job.Attempt.ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(job.MaxAttempts.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(job.FinishedAt is { } finished ? Time(finished) : string.Empty)
                    .Append("</td><td class=\"error\">").Append(Text(ErrorSummary(job.Error))).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</main>");
        return End(html);
    }

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
