using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Audit;

/// <summary>Adds audit events to the unit of work of the request and writes each to the log.</summary>
internal sealed partial class AuditTrail(
    LoupeDbContext context,
    ITenantScope tenant,
    ICurrentUser currentUser,
    IRequestOrigin origin,
    TimeProvider clock,
    ILogger<AuditTrail> logger) : IAuditTrail
{
    public void Record(string action, AuditTarget? target = null, Guid? actorUserId = null, IReadOnlyDictionary<string, string>? details = null)
    {
        var organizationId = tenant.OrganizationId
            ?? throw new InvalidOperationException("An audit event needs an organization: enter one first.");
        var actor = new AuditActor(actorUserId ?? currentUser.UserId, origin.ApiKeyId);
        var auditEvent = AuditEvent.Record(
            Guid.CreateVersion7(),
            organizationId,
            action,
            clock.GetUtcNow(),
            actor,
            target,
            new AuditOrigin(origin.IpAddress, origin.UserAgent, origin.RequestId, origin.ClientRequestId),
            details);
        context.AuditEvents.Add(auditEvent);
        LogAudit(action, organizationId, actor.UserId, actor.ApiKeyId, target?.Type, target?.Id, origin.IpAddress);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {Action} in organization {OrganizationId} by user {ActorUserId} key {ActorApiKeyId} on {TargetType} {TargetId} from {IpAddress}")]
    private partial void LogAudit(string action, Guid organizationId, Guid? actorUserId, Guid? actorApiKeyId, string? targetType, Guid? targetId, string? ipAddress);
}

/// <summary>Work that no request started has no origin.</summary>
internal sealed class NoRequestOrigin : IRequestOrigin
{
    public string? IpAddress => null;

    public string? UserAgent => null;

    public string? RequestId => null;

    public string? ClientRequestId => null;

    public Guid? ApiKeyId => null;
}
