using System.Globalization;
using FluentValidation;
using Loupe.Application.AdminJobs;
using Loupe.Application.AdminJobs.Commands.AdminScheduleActions;
using Loupe.Application.AdminJobs.Commands.SystemJobActions;
using Loupe.Application.AdminJobs.Queries.ListRecurringJobs;
using Loupe.Application.Common.Exceptions;
using Loupe.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using static Loupe.Api.JobsDashboard.JobsDashboardHtml;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// The dashboard's recurring jobs (ADR 0071): the system jobs and every organization's schedules, with
/// their cron, zone, next time and last outcome, and the forms that trigger, pause and resume them.
/// Each form sends the same command as the admin API's endpoint under <c>/api/v1/admin/jobs/recurring</c>;
/// a refused action shows the page again with why, a done one goes back to the page.
/// </summary>
internal static class JobsDashboardRecurringPages
{
    public const string Path = "/jobs/recurring";

    /// <summary>
    /// The actions a form may name: another one is no address at all (a 404 from routing), for an admin too, before
    /// the group's filter would look at its anti-forgery token.
    /// </summary>
    private const string Actions = "^(trigger|pause|resume)$";

    public static RouteGroupBuilder MapRecurringPages(this RouteGroupBuilder jobs)
    {
        jobs.MapGet("/recurring", async (HttpContext http, IAntiforgery antiforgery, IMediator mediator, TimeProvider clock) =>
        {
            var cursor = http.Request.Query["cursor"].ToString();
            return await PageAsync(http, antiforgery, mediator, clock, string.IsNullOrEmpty(cursor) ? null : cursor, notice: null, StatusCodes.Status200OK);
        });

        jobs.MapPost("/recurring/schedules/{id:guid}/{action:regex(" + Actions + ")}", (HttpContext http, Guid id, string action, IAntiforgery antiforgery, IMediator mediator, TimeProvider clock) =>
            ActAsync(http, antiforgery, mediator, clock, action switch
            {
                "trigger" => new TriggerAdminScheduleCommand(id),
                "pause" => new PauseAdminScheduleCommand(id),
                "resume" => new ResumeAdminScheduleCommand(id),
                _ => null,
            }));

        jobs.MapPost("/recurring/system/{kind}/{action:regex(" + Actions + ")}", (HttpContext http, string kind, string action, IAntiforgery antiforgery, IMediator mediator, TimeProvider clock) =>
            ActAsync(http, antiforgery, mediator, clock, action switch
            {
                "trigger" => new TriggerSystemJobCommand(kind),
                "pause" => new PauseSystemJobCommand(kind),
                "resume" => new ResumeSystemJobCommand(kind),
                _ => null,
            }));

        return jobs;
    }

    /// <summary>Sends the API's own command (the group's filter has checked the caller and the form's anti-forgery token).</summary>
    private static async Task<IResult> ActAsync(
        HttpContext http, IAntiforgery antiforgery, IMediator mediator, TimeProvider clock, IRequest<RecurringJobActionResultDto>? command)
    {
        if (command is null)
        {
            return Results.NotFound();
        }

        try
        {
            await mediator.Send(command, http.RequestAborted);
            return Results.Redirect(Path, permanent: false, preserveMethod: false);
        }
        catch (DomainException refused)
        {
            var status = refused.Error.Kind switch
            {
                DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
                DomainErrorKind.Validation => StatusCodes.Status400BadRequest,
                DomainErrorKind.LimitReached => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status409Conflict,
            };
            return await PageAsync(http, antiforgery, mediator, clock, null, $"{refused.Error.Message} ({refused.Error.Code})", status);
        }
        catch (NotFoundException)
        {
            return await PageAsync(http, antiforgery, mediator, clock, null, "It no longer exists: nothing was done.", StatusCodes.Status404NotFound);
        }
        catch (TooManyRequestsException)
        {
            return await PageAsync(http, antiforgery, mediator, clock, null, "Its organization's queue is full: nothing was queued. Try again later.", StatusCodes.Status429TooManyRequests);
        }
    }

    private static async Task<IResult> PageAsync(
        HttpContext http, IAntiforgery antiforgery, IMediator mediator, TimeProvider clock, string? cursor, string? notice, int status)
    {
        RecurringJobsDto recurring;
        try
        {
            recurring = await mediator.Send(new ListRecurringJobsQuery(cursor), http.RequestAborted);
        }
        catch (ValidationException)
        {
            recurring = await mediator.Send(new ListRecurringJobsQuery(), http.RequestAborted);
            notice ??= "That page of schedules does not exist; here is the first.";
            status = StatusCodes.Status400BadRequest;
        }

        return JobsDashboardEndpoints.Page(Recurring(recurring, antiforgery.GetAndStoreTokens(http), clock.GetUtcNow(), notice), status);
    }

    public static string Recurring(RecurringJobsDto recurring, AntiforgeryTokenSet antiforgery, DateTimeOffset now, string? notice)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        var html = Start("Recurring · Loupe jobs", script: true);
        Header(html, antiforgery, Path);
        html.Append("<main data-live>");
        if (notice is not null)
        {
            html.Append("<p class=\"notice\" role=\"alert\">").Append(Text(notice)).Append("</p>");
        }

        html.Append("<h2>System jobs</h2><table id=\"system-jobs\"><thead><tr><th>Job</th><th>Every</th><th>State</th><th>Next due (estimated)</th><th>Last run</th><th>Last outcome</th><th>Actions</th></tr></thead><tbody>");
        foreach (var job in recurring.SystemJobs)
        {
            html.Append("<tr data-kind=\"").Append(Text(job.Kind)).Append("\"><td><strong>").Append(Text(job.Kind)).Append("</strong><br><small>").Append(Text(job.Description))
                .Append("</small></td><td>").Append(Text(job.Interval)).Append("</td><td data-state>").Append(Text(job.State)).Append("</td><td>")
                .Append(job.NextDueAt is { } next ? Due(next, now) : "—").Append("</td><td>")
                .Append(job.LastEnqueuedAt is { } last ? Time(last) : "never").Append("</td><td>")
                .Append(job.LastStatus is { } outcome ? Text(StatusLabel(outcome)) : "—");
            if (job.LastError is { Length: > 0 } error)
            {
                html.Append("<br><small class=\"error\">").Append(Text(ErrorSummary(error))).Append("</small>");
            }

            html.Append("</td><td>");
            var prefix = $"{Path}/system/{Uri.EscapeDataString(job.Kind)}";
            Button(html, antiforgery, prefix + "/trigger", "Trigger now");
            Button(html, antiforgery, prefix + (job.State == "paused" ? "/resume" : "/pause"), job.State == "paused" ? "Resume" : "Pause");
            html.Append("</td></tr>");
        }

        html.Append("</tbody></table><h2>Schedules</h2>");
        if (recurring.Schedules.Count == 0)
        {
            html.Append("<p class=\"empty\">No organization has a schedule.</p>");
        }
        else
        {
            html.Append("<table id=\"schedules\"><thead><tr><th>Schedule</th><th>Organization</th><th>Cron</th><th>Zone</th><th>State</th><th>Next fire</th><th>Last run</th><th>Last outcome</th><th>Actions</th></tr></thead><tbody>");
            foreach (var schedule in recurring.Schedules)
            {
                html.Append("<tr data-schedule=\"").Append(schedule.Id.ToString()).Append("\"><td>").Append(Text(schedule.Name)).Append("</td><td>")
                    .Append(Text(schedule.OrganizationName)).Append("<br><small>").Append(Organization(schedule.OrganizationId)).Append("</small></td><td><code>")
                    .Append(Text(schedule.Cron)).Append("</code></td><td>").Append(Text(schedule.Timezone)).Append("</td><td data-state>").Append(Text(schedule.State));
                if (schedule.PausedReason is { } reason)
                {
                    html.Append("<br><small>").Append(Text(ErrorSummary(reason))).Append("</small>");
                }

                html.Append("</td><td>").Append(schedule.NextRunAt is { } next ? Due(next, now) : "—").Append("</td><td>")
                    .Append(schedule.LastRunAt is { } last ? Time(last) : "never").Append("</td><td>")
                    .Append(Text(schedule.LastRunStatus ?? "—"));
                if (schedule.ConsecutiveFailures > 0)
                {
                    html.Append("<br><small>").Append(schedule.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture)).Append(" failed in a row</small>");
                }

                html.Append("</td><td>");
                var prefix = $"{Path}/schedules/{schedule.Id}";
                Button(html, antiforgery, prefix + "/trigger", "Trigger now");
                Button(html, antiforgery, prefix + (schedule.Enabled ? "/pause" : "/resume"), schedule.Enabled ? "Pause" : "Resume");
                html.Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        if (recurring.NextCursor is { } cursor)
        {
            html.Append("<p><a rel=\"next\" href=\"").Append(Path).Append("?cursor=").Append(Text(Uri.EscapeDataString(cursor))).Append("\">Next schedules</a></p>");
        }

        html.Append("</main>");
        return End(html);
    }

    /// <summary>A POST form of one button, with the anti-forgery field.</summary>
    private static void Button(System.Text.StringBuilder html, AntiforgeryTokenSet antiforgery, string action, string label)
    {
        html.Append("<form class=\"action\" method=\"post\" action=\"").Append(Text(action)).Append("\">");
        AntiforgeryField(html, antiforgery);
        html.Append("<button type=\"submit\">").Append(Text(label)).Append("</button></form>");
    }

    private static string Due(DateTimeOffset at, DateTimeOffset now) =>
        Time(at) + (at <= now ? " (due)" : "<br><small>in " + Text(Age(at - now)) + "</small>");
}
