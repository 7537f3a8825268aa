using Loupe.Application.Organizations.Queries.GetOrganization;
using Loupe.Application.Organizations.Queries.ListUsers;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using Mapster;

namespace Loupe.Application.Organizations;

/// <summary>
/// How an organization and its members are answered. A member goes out with the text of its email
/// address and its role by name, never its password hash (<see cref="UserDto"/> has none).
/// Invitations keep their explicit mapping: their status is computed at the moment of asking.
/// </summary>
internal sealed class OrganizationMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<Organization, OrganizationDto>();
        config.NewConfig<User, UserDto>()
            .Map(d => d.Email, s => s.Email.Value);
    }
}
