using Loupe.Domain.Audit;

namespace Loupe.Application.Common.Security;

/// <summary>
/// Records audit events in the current organization, with the caller and request origin filled
/// in. Events are saved with the unit of work, in the same transaction as the change they describe,
/// and written to the log.
/// </summary>
public interface IAuditTrail
{
    /// <param name="action">One of <see cref="AuditActions"/>.</param>
    /// <param name="target">What the action was done to.</param>
    /// <param name="actorUserId">Who did it, when not the caller (a sign-in before there is one).</param>
    /// <param name="details">What changed (<see cref="AuditDetails"/>); never a secret.</param>
    void Record(string action, AuditTarget? target = null, Guid? actorUserId = null, IReadOnlyDictionary<string, string>? details = null);
}
