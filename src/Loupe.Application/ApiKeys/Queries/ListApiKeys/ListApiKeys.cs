using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Organizations;
using Mapster;
using MediatR;

namespace Loupe.Application.ApiKeys.Queries.ListApiKeys;

/// <summary>The caller's API keys; an admin sees every key of the organization. Secrets are never listed.</summary>
[Authorize(SignedInOnly = true)]
public sealed record ListApiKeysQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<ApiKeyDto>>;

public sealed record ApiKeyDto(
    Guid Id, string Name, Role Role, string Prefix, Guid CreatorId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

internal sealed class ListApiKeysQueryHandler(ICurrentUser currentUser, IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<ListApiKeysQuery, PagedResult<ApiKeyDto>>
{
    private static readonly SortWhitelist<ApiKey> Sorts = SortWhitelist<ApiKey>.For()
        .Field("name", k => k.Name)
        .Field("created_at", k => k.CreatedAt)
        .TieBreaker(k => k.Id)
        .Default("-created_at");

    public Task<PagedResult<ApiKeyDto>> Handle(ListApiKeysQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var keys = store.Query<ApiKey>();
        if (currentUser.Role != Role.Admin)
        {
            keys = keys.Where(k => k.CreatedByUserId == currentUser.UserId);
        }

        return keys
            .ApplyText(parameters.Filter, k => k.Name)
            .ApplyCreatedRange(parameters.Filter, k => k.CreatedAt)
            .ToPageAsync(parameters, page => page.ProjectToType<ApiKeyDto>(mapping), executor, cancellationToken);
    }
}
