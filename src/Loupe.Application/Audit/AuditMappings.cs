using Loupe.Application.Audit.Queries.ListAuditEvents;
using Loupe.Domain.Audit;
using Mapster;

namespace Loupe.Application.Audit;

/// <summary>How an audit event is listed: every stored field, each under its own name.</summary>
internal sealed class AuditMappings : IRegister
{
    public void Register(TypeAdapterConfig config) => config.NewConfig<AuditEvent, AuditEventDto>();
}
