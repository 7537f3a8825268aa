using Loupe.Domain.Audit;

namespace Loupe.Application.Common.Security;

/// <summary>
/// Records audit events in the current organization, with the caller and request origin filled
/// in. Events are saved with the unit of work, in the same transaction as the change they describe,
/// and written to the log.
/// </summary>
public interface IAuditTrail
{
    void Record(string action, AuditTarget? target = null, Guid? actorUserId = null);
}
