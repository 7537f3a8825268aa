using Loupe.Application.ApiKeys.Queries.ListApiKeys;
using Loupe.Domain.ApiKeys;
using Mapster;

namespace Loupe.Application.ApiKeys;

/// <summary>
/// How an API key is listed: its name, role (by name on the wire), prefix and dates. Never its
/// secret or the secret's hash: <see cref="ApiKeyDto"/> has neither, and only registered members map.
/// </summary>
internal sealed class ApiKeyMappings : IRegister
{
    public void Register(TypeAdapterConfig config) => config.NewConfig<ApiKey, ApiKeyDto>()
        .Map(d => d.CreatorId, s => s.CreatedByUserId);
}
