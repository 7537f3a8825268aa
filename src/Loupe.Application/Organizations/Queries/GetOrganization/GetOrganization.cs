using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Mapster;
using MediatR;

namespace Loupe.Application.Organizations.Queries.GetOrganization;

[Authorize]
public sealed record GetOrganizationQuery : IRequest<OrganizationDto>;

public sealed record OrganizationDto(Guid Id, string Name, string TimeZone, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal sealed class GetOrganizationQueryHandler(ITenantScope tenant, IReadStore store, IQueryExecutor executor, TypeAdapterConfig mapping)
    : IRequestHandler<GetOrganizationQuery, OrganizationDto>
{
    public async Task<OrganizationDto> Handle(GetOrganizationQuery request, CancellationToken cancellationToken) =>
        await executor.FirstOrDefaultAsync(
            store.Query<Organization>().ProjectToType<OrganizationDto>(mapping),
            cancellationToken).ConfigureAwait(false)
        ?? throw new NotFoundException("Organization", tenant.RequiredOrganizationId());
}
