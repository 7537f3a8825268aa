using Loupe.Api.Problems;
using Loupe.Application.AdminJobs;
using Loupe.Application.AdminJobs.Commands.CancelAdminJob;
using Loupe.Application.AdminJobs.Commands.DeleteAdminJob;
using Loupe.Application.AdminJobs.Commands.RetryAdminJob;
using Loupe.Application.AdminJobs.Commands.RetryAdminJobs;
using Loupe.Application.AdminJobs.Queries.GetAdminJob;
using Loupe.Application.AdminJobs.Queries.GetJobCounts;
using Loupe.Application.AdminJobs.Queries.ListAdminJobs;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// The dashboard's job pages: the jobs of a state (<c>/jobs/list</c>), one job (<c>/jobs/{id}</c>) and
/// their actions. Each action is a form posted with its anti-forgery token (checked by the group's filter,
/// <see cref="JobsDashboardGate"/>, as is the caller) and sends the same command as
/// its REST endpoint under <c>/api/v1/admin/jobs</c>, so it is checked and audited the same way; a
/// refusal shows the page again with the error's message, code and status.
/// </summary>
internal static class JobsDashboardJobEndpoints
{
    public static RouteGroupBuilder MapJobPages(this RouteGroupBuilder jobs)
    {
        jobs.MapGet("/list", async Task<IResult> (HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
        {
            var query = http.Request.Query.ToDictionary(q => q.Key, q => (string?)q.Value.ToString(), StringComparer.Ordinal);
            var tokens = antiforgery.GetAndStoreTokens(http);
            var counts = await mediator.Send(new GetJobCountsQuery(), http.RequestAborted);
            if (!JobsListFilter.TryParse(query, out var filter, out var error))
            {
                return Page(JobsDashboardJobsHtml.List(filter, query, counts, page: null, new JobsDashboardNotice(error!), tokens), StatusCodes.Status400BadRequest);
            }

            try
            {
                var page = await mediator.Send(
                    new ListAdminJobsQuery(
                        filter.State is { } state ? AdminJobStatuses.Name(state) : null,
                        filter.Kind,
                        filter.OrganizationId,
                        filter.From,
                        filter.To,
                        filter.Cursor?.ToString(),
                        Queue: filter.Queue),
                    http.RequestAborted);
                return Page(JobsDashboardJobsHtml.List(filter, query, counts, page, notice: null, tokens));
            }
            catch (Exception refused) when (Refusal(refused) is { } answer)
            {
                return Page(JobsDashboardJobsHtml.List(filter, query, counts, page: null, answer.Notice, tokens), answer.Status);
            }
        });

        jobs.MapPost("/list/retry", async Task<IResult> (HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var ids = new List<Guid>();
            foreach (var value in form["id"])
            {
                if (!Guid.TryParse(value, out var id))
                {
                    return Message(http, antiforgery, "Nothing retried", new JobsDashboardNotice("A selected job's id is not an id."), StatusCodes.Status400BadRequest);
                }

                ids.Add(id);
            }

            try
            {
                var results = await mediator.Send(new RetryAdminJobsCommand(ids), http.RequestAborted);
                return Page(JobsDashboardJobsHtml.Retried(results, antiforgery.GetAndStoreTokens(http)));
            }
            catch (Exception refused) when (Refusal(refused) is { } answer)
            {
                var notice = ids.Count == 0 ? answer.Notice with { Message = "Select at least one job to retry." } : answer.Notice;
                return Message(http, antiforgery, "Nothing retried", notice, answer.Status);
            }
        });

        jobs.MapGet("/{id:guid}", (Guid id, HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
            DetailAsync(id, http, antiforgery, mediator, notice: null, StatusCodes.Status200OK));

        jobs.MapPost("/{id:guid}/retry", (Guid id, HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
            ActAsync(id, http, antiforgery, mediator, ct => mediator.Send(new RetryAdminJobCommand(id), ct), deleted: false));

        jobs.MapPost("/{id:guid}/cancel", (Guid id, HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
            ActAsync(id, http, antiforgery, mediator, ct => mediator.Send(new CancelAdminJobCommand(id), ct), deleted: false));

        jobs.MapPost("/{id:guid}/delete", (Guid id, HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
            ActAsync(id, http, antiforgery, mediator, ct => mediator.Send(new DeleteAdminJobCommand(id), ct), deleted: true));

        return jobs;
    }

    /// <summary>An action on one job: after it, back to the job's page (the list, once deleted); refused, the job's page with why.</summary>
    private static async Task<IResult> ActAsync(
        Guid id, HttpContext http, IAntiforgery antiforgery, IMediator mediator, Func<CancellationToken, Task> act, bool deleted)
    {
        try
        {
            await act(http.RequestAborted);
        }
        catch (Exception refused) when (Refusal(refused) is { } answer)
        {
            return await DetailAsync(id, http, antiforgery, mediator, answer.Notice, answer.Status);
        }

        return Results.Redirect(deleted ? "/jobs/list" : $"/jobs/{id}", permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> DetailAsync(Guid id, HttpContext http, IAntiforgery antiforgery, IMediator mediator, JobsDashboardNotice? notice, int status)
    {
        try
        {
            var detail = await mediator.Send(new GetAdminJobQuery(id), http.RequestAborted);
            return Page(JobsDashboardJobsHtml.Detail(detail, notice, antiforgery.GetAndStoreTokens(http)), status);
        }
        catch (Exception missing) when (Refusal(missing) is { Status: StatusCodes.Status404NotFound } answer)
        {
            return Message(http, antiforgery, "No such job", new JobsDashboardNotice($"There is no job {id}: it may have been deleted.", answer.Notice.Code), StatusCodes.Status404NotFound);
        }
    }

    /// <summary>
    /// What the REST endpoint would have answered for a refusal (the same problem mapping): its status, message
    /// and code; none for a fault of the server, which is left to the error handler.
    /// </summary>
    private static (int Status, JobsDashboardNotice Notice)? Refusal(Exception exception)
    {
        var problem = ExceptionToProblemHandler.ToProblem(exception);
        if (problem.Status is not { } status || status >= StatusCodes.Status500InternalServerError)
        {
            return null;
        }

        var code = problem.Extensions.TryGetValue(ExceptionToProblemHandler.CodeKey, out var value) ? value?.ToString() : null;
        var message = problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation
            ? string.Join(" ", validation.Errors.SelectMany(e => e.Value))
            : problem.Detail ?? problem.Title ?? "Refused.";
        return (status, new JobsDashboardNotice(message, code));
    }

    private static JobsDashboardEndpoints.HtmlPage Message(HttpContext http, IAntiforgery antiforgery, string title, JobsDashboardNotice notice, int status) =>
        Page(JobsDashboardJobsHtml.Message(title, notice, antiforgery.GetAndStoreTokens(http)), status);

    private static JobsDashboardEndpoints.HtmlPage Page(string html, int status = StatusCodes.Status200OK) => JobsDashboardEndpoints.Page(html, status);
}
