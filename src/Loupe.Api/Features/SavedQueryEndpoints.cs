using Loupe.Api.Http;
using Loupe.Application.Common.Paging;
using Loupe.Application.SavedQueries;
using Loupe.Application.SavedQueries.Commands.ArchiveSavedQuery;
using Loupe.Application.SavedQueries.Commands.CreateSavedQuery;
using Loupe.Application.SavedQueries.Commands.ForkSavedQuery;
using Loupe.Application.SavedQueries.Commands.RestoreSavedQuery;
using Loupe.Application.SavedQueries.Commands.RestoreSavedQueryVersion;
using Loupe.Application.SavedQueries.Commands.UpdateSavedQuery;
using Loupe.Application.SavedQueries.Queries.GetSavedQuery;
using Loupe.Application.SavedQueries.Queries.GetSavedQueryVersion;
using Loupe.Application.SavedQueries.Queries.ListSavedQueries;
using Loupe.Application.SavedQueries.Queries.ListSavedQueryVersions;
using Loupe.Application.SavedQueries.Queries.ValidateQueryDraft;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>Saved queries: everyone reads; editors and admins write. DELETE archives (soft delete); restore brings a query back.</summary>
internal sealed class SavedQueryEndpoints : IEndpointModule
{
    private const string Path = "/api/v1/queries";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var queries = api.MapGroup("/queries").WithTags("Queries");

        queries.MapPost(string.Empty, async Task<Created<SavedQueryDto>> (CreateSavedQueryCommand command, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"{Path}/{created.Value.Id}", EntityTags.Tag(http, created));
        }).WithSummary("Save a query as version 1 (editor); its SQL must pass the safety check and its {{ placeholders }} match its parameters");

        queries.MapPost("/validate", async Task<Ok<QueryDraftFindingsDto>> (ValidateQueryDraftQuery draft, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(draft, ct)))
            .WithSummary("Check a draft's SQL and parameters as saving would (safety check, placeholders against definitions), without saving (editor); 200 with the findings, valid or not")
            .WithDescription("Each problem has the code, the body field (sql, parameters[i].name, …) and a message that gives the line and column in the SQL where it has one. placeholders lists the names the SQL uses, in order of first use.");

        queries.MapGet(string.Empty, async Task<Ok<PagedResult<SavedQuerySummaryDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListSavedQueriesQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Status, ListQueryParameters.Text, ListQueryParameters.Tags, ListQueryParameters.OwnerId, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore, ListSavedQueriesQuery.DataSourceFilter))
            .WithSummary("List saved queries (active unless status=archived; q, tags, datasource_id, owner_id, created/updated ranges; sort by name, created_at, updated_at)");

        queries.MapGet("/{id:guid}", async Task<Results<Ok<SavedQueryDto>, StatusCodeHttpResult>> (
                Guid id, [FromHeader(Name = EntityTags.IfNoneMatchHeader)] string? ifNoneMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                EntityTags.Read(http, await mediator.Send(new GetSavedQueryQuery(id), ct), ifNoneMatch))
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("Get a saved query with its SQL and parameters (ETag; If-None-Match answers 304)");

        queries.MapPatch("/{id:guid}", async Task<Ok<SavedQueryDto>> (
                Guid id, UpdateSavedQueryRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Change a saved query (editor); new SQL or parameters become a new version; If-Match answers 412 when stale");

        queries.MapDelete("/{id:guid}", async Task<NoContent> (
            Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, IMediator mediator, CancellationToken ct, bool force = false) =>
        {
            await mediator.Send(new ArchiveSavedQueryCommand(id, EntityTags.Precondition(ifMatch), force), ct);
            return TypedResults.NoContent();
        }).WithSummary("Archive (soft-delete) a saved query (editor); it can be restored")
            .WithDescription("While active dashboards show a visualization of it, the answer is 409 query.in_use naming them (dashboards); force=true archives it anyway.");

        queries.MapPost("/{id:guid}/restore", async Task<Ok<SavedQueryDto>> (
                Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RestoreSavedQueryCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Restore an archived query (editor)");

        queries.MapPost("/{id:guid}/fork", async Task<Created<SavedQueryDto>> (
            Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ForkSavedQueryRequest? body, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var copy = await mediator.Send((body ?? new ForkSavedQueryRequest()).ToCommand(id), ct);
            return TypedResults.Created($"{Path}/{copy.Value.Id}", EntityTags.Tag(http, copy));
        }).WithSummary("Copy a query, owned by you, starting again at version 1 (editor); the body is optional")
            .WithDescription("name: the copy's name (default \"Copy of X\", or \"Copy of X (2)\", … when the organization has that name already); "
                + "version: the version to copy (default the current one). The copy's forked_from names the query and version it came from.");

        queries.MapGet("/{id:guid}/versions", async Task<Ok<PagedResult<SavedQueryVersionDto>>> (Guid id, RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListSavedQueryVersionsQuery(id, query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore))
            .WithSummary("Every saved version of a query's SQL and parameters, newest first (sort by version or created_at)");

        queries.MapGet("/{id:guid}/versions/{version:int}", async Task<Ok<SavedQueryVersionDto>> (Guid id, int version, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetSavedQueryVersionQuery(id, version), ct)))
            .WithSummary("One saved version of a query's SQL and parameters (404 when the query has no such version)");

        queries.MapPost("/{id:guid}/versions/{version:int}/restore", async Task<Ok<SavedQueryDto>> (
                Guid id, int version, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(new RestoreSavedQueryVersionCommand(id, version, EntityTags.Precondition(ifMatch)), ct))))
            .WithSummary("Make an earlier version's SQL and parameters current again, as a new version (editor); If-Match answers 412 when stale; 409 query.archived for an archived query");
    }
}
