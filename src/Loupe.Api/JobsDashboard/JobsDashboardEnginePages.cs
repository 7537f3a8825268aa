using System.Globalization;
using System.Text;
using Loupe.Application.AdminJobs;
using Loupe.Application.AdminJobs.Commands.PauseJobQueue;
using Loupe.Application.AdminJobs.Commands.ResumeJobQueue;
using Loupe.Application.AdminJobs.Queries.ListJobQueues;
using Loupe.Application.AdminJobs.Queries.ListJobServers;
using Loupe.Application.Common.Jobs;
using Loupe.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// The dashboard's engine pages: <c>/jobs/servers</c> (the engine's nodes, lost ones marked) and
/// <c>/jobs/queues</c> (every known queue, with forms to pause and resume it). They read and act through
/// the same queries and commands as <c>GET /api/v1/admin/jobs/servers</c>, <c>…/queues</c> and
/// <c>POST …/queues/{queue}/pause|resume</c>; the group's filter (<see cref="JobsDashboardGate"/>) has checked the
/// caller and a form's anti-forgery token before anything is done.
/// </summary>
internal static class JobsDashboardEnginePages
{
    private const string ServersPath = JobsDashboardSession.PathPrefix + "/servers";
    private const string QueuesPath = JobsDashboardSession.PathPrefix + "/queues";

    public static RouteGroupBuilder MapJobsDashboardEnginePages(this RouteGroupBuilder jobs)
    {
        jobs.MapGet("/servers", async (HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
        {
            var servers = await mediator.Send(new ListJobServersQuery(), http.RequestAborted);
            return JobsDashboardEndpoints.Page(Servers(servers, antiforgery.GetAndStoreTokens(http)));
        });

        jobs.MapGet("/queues", (HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
            QueuesPageAsync(http, antiforgery, mediator, notice: null));

        jobs.MapPost("/queues/{queue}/pause", (string queue, HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
            QueueActionAsync(http, antiforgery, mediator, new PauseJobQueueCommand(queue)));

        jobs.MapPost("/queues/{queue}/resume", (string queue, HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
            QueueActionAsync(http, antiforgery, mediator, new ResumeJobQueueCommand(queue)));

        return jobs;
    }

    /// <summary>A form's action: the API's command, then back to the queues page; refused, the queues page with why.</summary>
    private static async Task<IResult> QueueActionAsync(
        HttpContext http, IAntiforgery antiforgery, IMediator mediator, IRequest<JobQueueActionResultDto> command)
    {
        try
        {
            await mediator.Send(command, http.RequestAborted);
        }
        catch (DomainException refused)
        {
            return await QueuesPageAsync(http, antiforgery, mediator, refused.Error.Message, StatusCodes.Status400BadRequest);
        }

        return Results.Redirect(QueuesPath, permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> QueuesPageAsync(HttpContext http, IAntiforgery antiforgery, IMediator mediator, string? notice, int status = StatusCodes.Status200OK)
    {
        var queues = await mediator.Send(new ListJobQueuesQuery(), http.RequestAborted);
        return JobsDashboardEndpoints.Page(Queues(queues, antiforgery.GetAndStoreTokens(http), notice), status);
    }

    internal static string Servers(JobServersDto servers, AntiforgeryTokenSet antiforgery)
    {
        var html = JobsDashboardHtml.Start("Servers · Loupe jobs", script: true);
        JobsDashboardHtml.Header(html, antiforgery, ServersPath);
        html.Append("<main data-live><h2>Servers</h2>");
        if (servers.Data.Count == 0)
        {
            html.Append("<p class=\"empty\">No node of the engine is running.</p></main>");
            return JobsDashboardHtml.End(html);
        }

        html.Append("<p class=\"refresh\">A node that has not beaten for a while is marked lost: it stopped without leaving, or lost the database. Its running jobs come back when their leases expire.</p>")
            .Append("<table id=\"servers\"><thead><tr><th>Node</th><th>State</th><th>Host</th><th>Machine</th><th>Process</th><th>Started</th><th>Last heartbeat</th>")
            .Append("<th>Slots used</th><th>Queues</th></tr></thead><tbody>");
        foreach (var node in servers.Data)
        {
            html.Append("<tr data-node=\"").Append(JobsDashboardHtml.Text(node.Node)).Append('"');
            if (node.Lost)
            {
                html.Append(" class=\"lost\"");
            }

            html.Append("><td>").Append(JobsDashboardHtml.Text(node.Node))
                .Append("</td><td>").Append(node.Lost ? "<strong class=\"lost-label\">Lost</strong>" : "Live")
                .Append("</td><td>").Append(node.Host == EngineNodeHost.Api ? "API" : "Worker")
                .Append("</td><td>").Append(JobsDashboardHtml.Text(node.Machine))
                .Append("</td><td>").Append(node.ProcessId.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(JobsDashboardHtml.Time(node.StartedAt))
                .Append("</td><td>").Append(JobsDashboardHtml.Time(node.HeartbeatAt)).Append(" (")
                .Append(JobsDashboardHtml.Text(JobsDashboardHtml.Age(TimeSpan.FromSeconds(node.HeartbeatAgeSeconds)))).Append(" ago)")
                .Append("</td><td>").Append(node.SlotsUsed.ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(node.Slots.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(JobsDashboardHtml.Text(string.Join(", ", node.Queues))).Append("</td></tr>");
        }

        html.Append("</tbody></table></main>");
        return JobsDashboardHtml.End(html);
    }

    internal static string Queues(JobQueuesDto queues, AntiforgeryTokenSet antiforgery, string? notice)
    {
        var html = JobsDashboardHtml.Start("Queues · Loupe jobs", script: true);
        JobsDashboardHtml.Header(html, antiforgery, QueuesPath);
        html.Append("<main data-live><h2>Queues</h2>");
        if (notice is not null)
        {
            html.Append("<p class=\"notice\" role=\"alert\">").Append(JobsDashboardHtml.Text(notice)).Append("</p>");
        }

        if (queues.Data.Count == 0)
        {
            html.Append("<p class=\"empty\">No queue has waiting jobs, is paused, or is served by a node.</p></main>");
            return JobsDashboardHtml.End(html);
        }

        html.Append("<p class=\"refresh\">A paused queue keeps its jobs waiting: no node claims them until it is resumed. Jobs already running go on.</p>")
            .Append("<table id=\"queues\"><thead><tr><th>Queue</th><th>State</th><th>Due jobs</th><th>Per priority</th><th>Oldest wait</th><th>Not due yet</th><th>Served by</th><th>Action</th></tr></thead><tbody>");
        foreach (var queue in queues.Data)
        {
            var name = JobsDashboardHtml.Text(queue.Queue);
            html.Append("<tr data-queue=\"").Append(name).Append('"');
            if (queue.Paused)
            {
                html.Append(" class=\"paused\"");
            }

            html.Append("><td><a href=\"").Append(JobsDashboardHtml.Text(JobsListFilter.QueuedIn(queue.Queue))).Append("\">").Append(name).Append("</a></td><td data-queue-state>");
            if (queue.Paused)
            {
                html.Append("<strong>Paused</strong>");
                if (queue.PausedAt is { } since)
                {
                    html.Append(" since ").Append(JobsDashboardHtml.Time(since));
                }
            }
            else
            {
                html.Append("Active");
            }

            html.Append("</td><td>").Append(queue.Depth.ToString(CultureInfo.InvariantCulture)).Append("</td><td>");
            Priorities(html, queue.Priorities);
            html.Append("</td><td>").Append(queue.OldestWaitSeconds is { } wait ? JobsDashboardHtml.Text(JobsDashboardHtml.Age(TimeSpan.FromSeconds(wait))) : "—")
                .Append("</td><td data-not-due>");
            if (queue.NextDueAt is { } next)
            {
                html.Append(queue.NotDue.ToString(CultureInfo.InvariantCulture)).Append(", the next due ").Append(JobsDashboardHtml.Time(next));
            }
            else
            {
                html.Append('—');
            }

            html.Append("</td><td>").Append(queue.Nodes.Count == 0 ? "<span class=\"empty\">no live node</span>" : JobsDashboardHtml.Text(string.Join(", ", queue.Nodes)))
                .Append("</td><td>");
            var action = queue.Paused ? "resume" : "pause";
            html.Append("<form method=\"post\" action=\"").Append(QueuesPath).Append('/').Append(JobsDashboardHtml.Text(Uri.EscapeDataString(queue.Queue))).Append('/').Append(action).Append("\">");
            JobsDashboardHtml.AntiforgeryField(html, antiforgery);
            html.Append("<button type=\"submit\">").Append(queue.Paused ? "Resume" : "Pause").Append("</button></form></td></tr>");
        }

        html.Append("</tbody></table></main>");
        return JobsDashboardHtml.End(html);
    }

    private static void Priorities(StringBuilder html, IReadOnlyList<JobQueuePriorityDto> priorities)
    {
        if (priorities.Count == 0)
        {
            html.Append('—');
            return;
        }

        html.Append(JobsDashboardHtml.Text(string.Join(", ", priorities.Select(p =>
            $"{p.Priority.ToString().ToLowerInvariant()} {p.Depth.ToString(CultureInfo.InvariantCulture)}"))));
    }
}
