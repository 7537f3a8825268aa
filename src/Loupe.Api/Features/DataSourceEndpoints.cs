using Loupe.Api.Http;
using Loupe.Application.Common.Paging;
using Loupe.Application.DataSources;
using Loupe.Application.DataSources.Commands.CreateDataSource;
using Loupe.Application.DataSources.Commands.DeleteDataSource;
using Loupe.Application.DataSources.Commands.TestDataSource;
using Loupe.Application.DataSources.Commands.UpdateDataSource;
using Loupe.Application.DataSources.Queries.GetDataSource;
using Loupe.Application.DataSources.Queries.GetDataSourceSchema;
using Loupe.Application.DataSources.Queries.ListDataSources;
using Loupe.Application.DataSources.Queries.ListDataSourceTypes;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Features;

/// <summary>Data sources: the databases an organization queries. Passwords go in, never out.</summary>
internal sealed class DataSourceEndpoints : IEndpointModule
{
    private const string CreateRefusals =
        "422 codes: datasource.privileged_account (the account is privileged and allow_privileged_account is not true); "
        + "datasource.host_forbidden (the host, or an address it resolves to, is link-local or a cloud metadata service); "
        + "datasource.host_local (the host is this machine — loopback, 0.0.0.0, :: — and not in DataSources:AllowedHosts).";

    private const string UpdateRefusals =
        CreateRefusals
        + " datasource.password_required: the settings change where the stored password goes (host, port, database, username, ssl_mode, path) "
        + "and the request neither gives settings.password again nor clears it with \"\".";

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var dataSources = api.MapGroup("/datasources").WithTags("Data sources");

        dataSources.MapPost(string.Empty, async Task<Created<DataSourceDto>> (CreateDataSourceCommand command, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/datasources/{created.Value.Id}", EntityTags.Tag(http, created));
        })
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .WithSummary("Add a data source from a connection string or settings (admin); a privileged account is a 422 unless allow_privileged_account is true")
        .WithDescription(CreateRefusals);

        dataSources.MapGet(string.Empty, async Task<Ok<PagedResult<DataSourceDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListDataSourcesQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.PagedAnd(ListQueryParameters.Text, ListQueryParameters.CreatedAfter, ListQueryParameters.CreatedBefore, ListQueryParameters.UpdatedAfter, ListQueryParameters.UpdatedBefore))
            .WithSummary("List the organization's data sources");

        dataSources.MapGet("/types", async Task<Ok<PagedResult<DataSourceTypeDto>>> (RawQuery query, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new ListDataSourceTypesQuery(query.Values), ct)))
            .AcceptsQuery(ListQueryParameters.Page, ListQueryParameters.PerPage, ListQueryParameters.Sort)
            .WithSummary("The connector types this instance offers and the settings each takes (name, type, required, default, secret, bounds), for a new data source form");

        dataSources.MapGet("/{id:guid}", async Task<Results<Ok<DataSourceDto>, StatusCodeHttpResult>> (
                Guid id, [FromHeader(Name = EntityTags.IfNoneMatchHeader)] string? ifNoneMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                EntityTags.Read(http, await mediator.Send(new GetDataSourceQuery(id), ct), ifNoneMatch))
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("Get a data source (ETag; If-None-Match answers 304)");

        dataSources.MapPatch("/{id:guid}", async Task<Ok<DataSourceDto>> (
                Guid id, UpdateDataSourceRequest body, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(EntityTags.Tag(http, await mediator.Send(body.ToCommand(id, EntityTags.Precondition(ifMatch)), ct))))
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Change a data source's name, settings, password, limits or allow_privileged_account (admin); If-Match answers 412 when stale")
            .WithDescription(UpdateRefusals);

        dataSources.MapPost("/{id:guid}/test", async Task<Ok<DataSourceTestDto>> (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new TestDataSourceCommand(id), ct)))
            .WithSummary("Connect to a data source and report the server version and latency, or the error (admin)")
            .WithDescription(
                "An answer without a server's own SQLSTATE is one of: 08000 \"Could not connect to the data source.\" (for every way a connection fails: "
                + "refused, timed out, unreachable), LP006 (the host resolves to an address Loupe does not connect to), LP001, datasource.privileged_account.");

        dataSources.MapGet("/{id:guid}/schema", async Task<Ok<DataSourceSchemaDto>> (Guid id, bool? refresh, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetDataSourceSchemaQuery(id, refresh ?? false), ct)))
            .WithSummary("The data source's schemas, tables, views and columns with types (cached; ?refresh=true reads them again)");

        dataSources.MapDelete("/{id:guid}", async Task<NoContent> (
            Guid id, [FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new DeleteDataSourceCommand(id, EntityTags.Precondition(ifMatch)), ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete a data source no saved query uses (admin); If-Match answers 412 when stale");
    }
}
