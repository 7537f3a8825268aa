using System.Text;
using Loupe.Application.AdminJobs;
using Loupe.Application.Common.Jobs;
using Microsoft.AspNetCore.Antiforgery;
using static Loupe.Api.JobsDashboard.JobsDashboardHtml;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// Writes the dashboard's job pages (ADR 0070): the jobs of one state (<c>/jobs/list</c>), one job
/// (<c>/jobs/{id}</c>) and what a selection's retry did. As every page: values encoded through
/// <see cref="JobsDashboardHtml.Text"/>, no inline script or style, and never a payload beyond its
/// kind's allow-listed fields.
/// </summary>
internal static class JobsDashboardJobsHtml
{
    /// <summary>The states whose jobs can be retried: their lists carry selection boxes and "Retry selected".</summary>
    public static bool IsRetryable(JobStatus status) => status is JobStatus.Failed or JobStatus.DeadLettered or JobStatus.Cancelled;

    public static bool IsCancellable(JobStatus status) => status is JobStatus.Queued or JobStatus.Scheduled or JobStatus.Retrying or JobStatus.Running;

    public static bool IsFinished(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.DeadLettered or JobStatus.Cancelled;

    /// <summary>
    /// The list page. <paramref name="page"/> is none when the filter was refused (<paramref name="notice"/> says why);
    /// <paramref name="counts"/> are the jobs per state the tabs show.
    /// </summary>
    public static string List(
        JobsListFilter filter,
        IReadOnlyDictionary<string, string?> rawQuery,
        IReadOnlyDictionary<string, long> counts,
        AdminJobPageDto? page,
        JobsDashboardNotice? notice,
        AntiforgeryTokenSet antiforgery)
    {
        var html = Start("Jobs · Loupe jobs", script: true);
        Header(html, antiforgery, "/jobs/list");
        html.Append("<main data-live><h2>Jobs</h2>");

        html.Append("<nav class=\"tabs\" aria-label=\"States\"><ul>");
        Tab(html, filter with { State = null, Cursor = null }, filter.State is null, "All", counts.Values.Sum());
        foreach (var status in AdminJobStatuses.All)
        {
            Tab(html, filter with { State = status, Cursor = null }, filter.State == status, StatusLabel(status), counts.TryGetValue(StatusName(status), out var n) ? n : 0);
        }

        html.Append("</ul></nav>");

        string Raw(string name) => rawQuery.TryGetValue(name, out var value) ? value ?? string.Empty : string.Empty;
        var state = page is null ? Raw("state") : filter.State is { } s ? StatusName(s) : string.Empty;
        html.Append("<form class=\"filter\" method=\"get\" action=\"/jobs/list\"><input type=\"hidden\" name=\"state\" value=\"").Append(Text(state)).Append("\">")
            .Append("<label>Kind <input name=\"kind\" maxlength=\"").Append(JobsListFilter.KindMaxLength).Append("\" value=\"").Append(Text(page is null ? Raw("kind") : filter.Kind ?? string.Empty)).Append("\"></label>")
            .Append("<label>Queue <input name=\"queue\" maxlength=\"").Append(JobQueueNames.MaxLength).Append("\" value=\"").Append(Text(page is null ? Raw("queue") : filter.Queue ?? string.Empty)).Append("\"></label>")
            .Append("<label>Organization <input name=\"organization_id\" size=\"36\" placeholder=\"organization id\" value=\"")
            .Append(Text(page is null ? Raw("organization_id") : filter.OrganizationId?.ToString() ?? string.Empty)).Append("\"></label>")
            .Append("<label>Enqueued from (UTC) <input name=\"from\" placeholder=\"2026-05-01T08:00\" value=\"")
            .Append(Text(page is null ? Raw("from") : filter.From is { } from ? JobsListFilter.Format(from) : string.Empty)).Append("\"></label>")
            .Append("<label>to <input name=\"to\" placeholder=\"2026-05-02T08:00\" value=\"")
            .Append(Text(page is null ? Raw("to") : filter.To is { } to ? JobsListFilter.Format(to) : string.Empty)).Append("\"></label>")
            .Append("<button type=\"submit\">Filter</button> <a href=\"/jobs/list").Append(state.Length > 0 && page is not null ? "?state=" + Text(state) : string.Empty).Append("\">Clear</a></form>");

        if (notice is not null)
        {
            Notice(html, notice);
        }

        if (page is null)
        {
            html.Append("</main>");
            return End(html);
        }

        if (page.Data.Count == 0)
        {
            html.Append("<p class=\"empty\">").Append(filter.Cursor is null ? "No job matches." : "No older job matches.").Append("</p>");
        }
        else
        {
            var selectable = filter.State is { } selected && IsRetryable(selected);
            if (selectable)
            {
                html.Append("<form method=\"post\" action=\"/jobs/list/retry\">");
                AntiforgeryField(html, antiforgery);
            }

            html.Append("<table id=\"jobs\"><thead><tr>");
            if (selectable)
            {
                html.Append("<th><span class=\"visually-hidden\">Select</span></th>");
            }

            html.Append("<th>Job</th><th>Queue</th><th>Priority</th><th>Organization</th>");
            if (filter.State is null)
            {
                html.Append("<th>Status</th>");
            }

            html.Append("<th>Attempt</th>");
            foreach (var column in Columns(filter.State))
            {
                html.Append("<th>").Append(Text(column.Title)).Append("</th>");
            }

            html.Append("</tr></thead><tbody>");
            foreach (var job in page.Data)
            {
                html.Append("<tr>");
                if (selectable)
                {
                    html.Append("<td><input type=\"checkbox\" name=\"id\" value=\"").Append(job.Id.ToString()).Append("\" aria-label=\"Select ").Append(Text(job.Kind)).Append(' ').Append(job.Id.ToString()).Append("\"></td>");
                }

                html.Append("<td>").Append(JobLink(job)).Append("</td><td><a href=\"").Append(Text((filter with { Queue = job.Queue, Cursor = null }).Path())).Append("\">")
                    .Append(Text(job.Queue)).Append("</a></td><td>").Append(Text(PriorityName(job.Priority)))
                    .Append("</td><td>").Append(Organization(job.OrganizationId)).Append("</td>");
                if (filter.State is null)
                {
                    html.Append("<td>").Append(Text(StatusLabel(job.Status))).Append("</td>");
                }

                html.Append("<td>").Append(Attempts(job)).Append("</td>");
                foreach (var column in Columns(filter.State))
                {
                    html.Append(column.Title == "Error" ? "<td class=\"error\">" : "<td>").Append(column.Cell(job)).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</tbody></table>");
            if (selectable)
            {
                html.Append("<p class=\"actions\"><button type=\"submit\">Retry selected</button> (at most ").Append(AdminJobErrors.RetrySelectionLimit).Append(")</p></form>");
            }
        }

        html.Append("<p class=\"pager\">");
        if (filter.Cursor is not null)
        {
            html.Append("<a href=\"").Append(Text((filter with { Cursor = null }).Path())).Append("\">← Newest</a> ");
        }

        if (page.NextCursor is { } next)
        {
            html.Append("<a id=\"older\" rel=\"next\" href=\"").Append(Text((filter with { Cursor = Guid.Parse(next) }).Path())).Append("\">Older →</a>");
        }

        html.Append("</p></main>");
        return End(html);
    }

    /// <summary>One job's page, with the actions its status allows; <paramref name="notice"/> tells why an action was refused.</summary>
    public static string Detail(AdminJobDetailDto detail, JobsDashboardNotice? notice, AntiforgeryTokenSet antiforgery)
    {
        var job = detail.Job;
        var html = Start(job.Kind + " · Loupe jobs", script: true);
        Header(html, antiforgery, "/jobs/list");
        html.Append("<main data-live><p><a href=\"/jobs/list?state=").Append(StatusName(job.Status)).Append("\">← ").Append(Text(StatusLabel(job.Status))).Append(" jobs</a></p>")
            .Append("<h2>Job <code>").Append(Text(job.Kind)).Append("</code></h2>");
        if (notice is not null)
        {
            Notice(html, notice);
        }

        html.Append("<dl class=\"facts\" id=\"job\">");
        Fact(html, "Id", "<code>" + job.Id + "</code>");
        Fact(html, "Kind", Text(job.Kind));
        Fact(html, "Status", "<span id=\"job-status\" class=\"status " + StatusName(job.Status) + "\">" + Text(StatusLabel(job.Status)) + "</span>");
        Fact(html, "Queue", Text(job.Queue));
        Fact(html, "Priority", Text(PriorityName(job.Priority)));
        Fact(html, "Organization", Organization(job.OrganizationId));
        Fact(html, "Attempt", Attempts(job));
        Fact(html, "Enqueued", Time(job.EnqueuedAt));
        Fact(html, job.Status is JobStatus.Scheduled or JobStatus.Retrying ? "Runs at" : "Due", Time(job.RunAt));
        if (job.StartedAt is { } started)
        {
            Fact(html, "First started", Time(started));
        }

        if (job.FinishedAt is { } finished)
        {
            Fact(html, "Finished", Time(finished));
        }

        if (job.Node is { } node)
        {
            Fact(html, "Node", Text(node));
            Fact(html, "Claimed", OptionalTime(job.ClaimedAt));
            Fact(html, "Heartbeat", HeartbeatAge(job));
            Fact(html, "Lease expires", OptionalTime(job.LeaseExpiresAt));
        }

        if (job.CancelRequestedAt is { } cancel)
        {
            Fact(html, "Cancel requested", Time(cancel));
        }

        html.Append("</dl>");
        if (job.Error is { Length: > 0 } error)
        {
            html.Append("<h3>Error</h3><pre class=\"error\" id=\"job-error\">").Append(Text(error)).Append("</pre>");
        }

        html.Append("<h3>Serves</h3>");
        if (detail.Serves is { } serves)
        {
            html.Append("<p id=\"serves\">").Append(Text(TargetName(serves.Type))).Append(" <code>").Append(serves.Id.ToString()).Append("</code>");
            if (job.OrganizationId is { } organization)
            {
                html.Append(" of organization <code>").Append(organization.ToString()).Append("</code>");
            }

            if (serves.Href is { } href)
            {
                html.Append(" — in the API: <code>").Append(Text(href)).Append("</code>");
            }

            html.Append("</p>");
        }
        else
        {
            html.Append("<p class=\"empty\" id=\"serves\">Nothing that this page can name.</p>");
        }

        html.Append("<h3>Payload</h3>");
        if (detail.Payload.Count == 0)
        {
            html.Append("<p class=\"empty\">Nothing of this kind's payload is shown.</p>");
        }
        else
        {
            html.Append("<dl class=\"facts\" id=\"payload\">");
            foreach (var (name, value) in detail.Payload)
            {
                Fact(html, name, "<code>" + Text(value) + "</code>");
            }

            html.Append("</dl>");
        }

        html.Append("<p class=\"hint\">Only the ids and counters each kind allows are shown; never a secret, SQL text or parameter value.</p>");

        html.Append("<h3>Timeline</h3><table id=\"timeline\"><thead><tr><th>When</th><th>What</th><th>Detail</th></tr></thead><tbody>");
        foreach (var entry in detail.Timeline)
        {
            html.Append("<tr><td>").Append(Time(entry.At)).Append("</td><td>").Append(Text(entry.Event.Replace('_', ' '))).Append("</td><td>").Append(Text(entry.Detail ?? string.Empty)).Append("</td></tr>");
        }

        html.Append("</tbody></table><h3>Attempts</h3>");
        if (detail.Attempts.Count == 0)
        {
            html.Append("<p class=\"empty\" id=\"attempts\">No node has claimed it yet.</p>");
        }
        else
        {
            html.Append("<table id=\"attempts\"><thead><tr><th>Claim</th><th>Attempt</th><th>Node</th><th>Started</th><th>Ended</th><th>Outcome</th><th>Error</th></tr></thead><tbody>");
            foreach (var attempt in detail.Attempts)
            {
                html.Append("<tr><td>").Append(attempt.Claim).Append("</td><td>").Append(attempt.Attempt).Append("</td><td>").Append(Text(attempt.Node))
                    .Append("</td><td>").Append(Time(attempt.StartedAt)).Append("</td><td>").Append(OptionalTime(attempt.EndedAt))
                    .Append("</td><td>").Append(Text(attempt.Outcome is { } outcome ? OutcomeLabel(outcome) : "running")).Append("</td><td class=\"error\">")
                    .Append(Text(attempt.Error ?? string.Empty)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<h3>Actions</h3><div class=\"actions\">");
        if (IsRetryable(job.Status))
        {
            Action(html, antiforgery, job.Id, "retry", "Retry", "Queue it again with its attempts reset.");
        }

        if (IsCancellable(job.Status))
        {
            Action(html, antiforgery, job.Id, "cancel", "Cancel", job.Status == JobStatus.Running ? "Tell its node to stop it." : "It will not run.");
        }

        if (IsFinished(job.Status))
        {
            Action(html, antiforgery, job.Id, "delete", "Delete", "Remove the job and its attempts.");
        }

        html.Append("</div></main>");
        return End(html);
    }

    /// <summary>What a selection's retry did to each job.</summary>
    public static string Retried(IReadOnlyList<JobActionResultDto> results, AntiforgeryTokenSet antiforgery)
    {
        var html = Start("Retried · Loupe jobs", script: false);
        Header(html, antiforgery, "/jobs/list");
        var retried = results.Count(r => r.Outcome == "retried");
        html.Append("<main><h2>Retry selected</h2><p id=\"retried-summary\" role=\"status\">").Append(retried).Append(" of ").Append(results.Count).Append(" retried.</p>")
            .Append("<table id=\"retried\"><thead><tr><th>Job</th><th>Outcome</th></tr></thead><tbody>");
        foreach (var result in results)
        {
            html.Append("<tr><td><a href=\"/jobs/").Append(result.Id.ToString()).Append("\"><code>").Append(result.Id.ToString()).Append("</code></a></td><td>")
                .Append(Text(result.Outcome)).Append("</td></tr>");
        }

        html.Append("</tbody></table><p><a href=\"/jobs/list?state=queued\">Queued jobs</a> · <a href=\"/jobs/list?state=failed\">Failed jobs</a></p></main>");
        return End(html);
    }

    /// <summary>A signed-in page that only says something (a job that does not exist, a form that was refused).</summary>
    public static string Message(string title, JobsDashboardNotice notice, AntiforgeryTokenSet antiforgery)
    {
        var html = Start(title + " · Loupe jobs", script: false);
        Header(html, antiforgery, "/jobs/list");
        html.Append("<main><h2>").Append(Text(title)).Append("</h2>");
        Notice(html, notice);
        html.Append("<p><a href=\"/jobs/list\">All jobs</a></p></main>");
        return End(html);
    }

    internal static void Notice(StringBuilder html, JobsDashboardNotice notice)
    {
        html.Append("<p class=\"notice\" role=\"alert\" id=\"notice\">").Append(Text(notice.Message));
        if (notice.Code is { } code)
        {
            html.Append(" <code>").Append(Text(code)).Append("</code>");
        }

        html.Append("</p>");
    }

    private static void Tab(StringBuilder html, JobsListFilter filter, bool current, string label, long count)
    {
        html.Append("<li><a href=\"").Append(Text(filter.Path())).Append('"');
        if (current)
        {
            html.Append(" aria-current=\"page\"");
        }

        html.Append(" data-state=\"").Append(filter.State is { } s ? StatusName(s) : "all").Append("\">").Append(Text(label))
            .Append(" <span class=\"count\">").Append(Number(count)).Append("</span></a></li>");
    }

    private static void Fact(StringBuilder html, string term, string valueHtml) =>
        html.Append("<div><dt>").Append(Text(term)).Append("</dt><dd>").Append(valueHtml).Append("</dd></div>");

    private static void Action(StringBuilder html, AntiforgeryTokenSet antiforgery, Guid id, string action, string label, string hint)
    {
        html.Append("<form method=\"post\" action=\"/jobs/").Append(id.ToString()).Append('/').Append(action).Append("\">");
        AntiforgeryField(html, antiforgery);
        html.Append("<button type=\"submit\" id=\"").Append(action).Append("\" class=\"").Append(action).Append("\">").Append(Text(label)).Append("</button> <span class=\"hint\">")
            .Append(Text(hint)).Append("</span></form>");
    }

    /// <summary>The columns a state's list adds after the ones every list has.</summary>
    private static IReadOnlyList<(string Title, Func<AdminJobDto, string> Cell)> Columns(JobStatus? state) => state switch
    {
        JobStatus.Queued => [("Enqueued", j => Time(j.EnqueuedAt)), ("Due since", j => Time(j.RunAt))],
        JobStatus.Scheduled or JobStatus.Retrying => [("Enqueued", j => Time(j.EnqueuedAt)), ("Runs at", j => Time(j.RunAt)), ("Error", j => Text(ErrorSummary(j.Error)))],
        JobStatus.Running => [("Node", j => Text(j.Node ?? string.Empty)), ("Started", j => OptionalTime(j.ClaimedAt)), ("Lease expires", j => OptionalTime(j.LeaseExpiresAt)), ("Heartbeat", HeartbeatAge)],
        JobStatus.Succeeded => [("Started", j => OptionalTime(j.StartedAt)), ("Finished", j => OptionalTime(j.FinishedAt))],
        JobStatus.Failed or JobStatus.DeadLettered => [("Finished", j => OptionalTime(j.FinishedAt)), ("Error", j => Text(ErrorSummary(j.Error)))],
        JobStatus.Cancelled => [("Enqueued", j => Time(j.EnqueuedAt)), ("Finished", j => OptionalTime(j.FinishedAt))],
        _ => [("Enqueued", j => Time(j.EnqueuedAt)), ("Finished", j => OptionalTime(j.FinishedAt)), ("Error", j => Text(ErrorSummary(j.Error)))],
    };

    private static string TargetName(JobTargetType type) => type switch
    {
        JobTargetType.Run => "Run",
        JobTargetType.WebhookDelivery => "Webhook delivery",
        JobTargetType.WebhookEvent => "Webhook event",
        _ => type.ToString(),
    };

    private static string OutcomeLabel(JobAttemptOutcome outcome) => outcome switch
    {
        JobAttemptOutcome.DeadLettered => "dead-lettered",
        JobAttemptOutcome.LeaseExpired => "lease expired",
        JobAttemptOutcome.Retrying => "failed, to be retried",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

/// <summary>What a page tells above its content: why a filter or an action was refused, with the error's code when it has one.</summary>
internal sealed record JobsDashboardNotice(string Message, string? Code = null);
