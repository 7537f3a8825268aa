using Loupe.Application.Audit.Queries.ListAuditEvents;
using Loupe.Domain.Audit;
using Mapster;

namespace Loupe.Application.Audit;

/// <summary>How an audit event is listed: every stored field; the acting user is <c>actor_id</c>, as every user reference is named for its role.</summary>
internal sealed class AuditMappings : IRegister
{
    public void Register(TypeAdapterConfig config) => config.NewConfig<AuditEvent, AuditEventDto>()
        .Map(d => d.ActorId, s => s.ActorUserId);
}
