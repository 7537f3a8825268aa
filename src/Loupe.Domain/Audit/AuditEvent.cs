using Loupe.Domain.Common;

namespace Loupe.Domain.Audit;

/// <summary>
/// A record that something security-relevant happened: who (user or API key), to what, from
/// where (IP, user agent, request id), and the details that matter to the action (a role change
/// says from which role to which). Written in the same transaction as the change it describes.
/// </summary>
public sealed class AuditEvent : Entity, ITenantOwned
{
    public const int ActionMaxLength = 64;

    /// <summary>At most this many details, each key and value at most <see cref="DetailMaxLength"/> characters.</summary>
    public const int MaxDetails = 16;

    public const int DetailMaxLength = 256;

    private AuditEvent(Guid id, Guid organizationId, string action, DateTimeOffset occurredAt)
        : base(id)
    {
        OrganizationId = organizationId;
        Action = action;
        OccurredAt = occurredAt;
    }

    public Guid OrganizationId { get; private set; }

    /// <summary>A stable code such as <c>auth.login_failed</c> (see <see cref="AuditActions"/>).</summary>
    public string Action { get; private set; }

    public Guid? ActorUserId { get; private set; }

    public Guid? ActorApiKeyId { get; private set; }

    public string? TargetType { get; private set; }

    public Guid? TargetId { get; private set; }

    public string? IpAddress { get; private set; }

    public string? UserAgent { get; private set; }

    /// <summary>Loupe's own id of the request (the response's <c>X-Request-Id</c>).</summary>
    public string? RequestId { get; private set; }

    /// <summary>The id the client sent as <c>X-Request-Id</c>, kept as its own; never taken for Loupe's.</summary>
    public string? ClientRequestId { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>
    /// What changed, as snake_case keys and text values (<c>{"from": "editor", "to": "admin"}</c>);
    /// null when the action and target say it all. Never a secret.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Details { get; private set; }

    public static AuditEvent Record(
        Guid id,
        Guid organizationId,
        string action,
        DateTimeOffset occurredAt,
        AuditActor actor,
        AuditTarget? target,
        AuditOrigin origin,
        IReadOnlyDictionary<string, string>? details = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        if (details is { Count: > MaxDetails } || (details?.Any(d => d.Key.Length > DetailMaxLength || d.Value.Length > DetailMaxLength) ?? false))
        {
            throw new ArgumentException($"At most {MaxDetails} details of at most {DetailMaxLength} characters each.", nameof(details));
        }

        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(origin);
        return new AuditEvent(id, organizationId, action, occurredAt)
        {
            ActorUserId = actor.UserId,
            ActorApiKeyId = actor.ApiKeyId,
            TargetType = target?.Type,
            TargetId = target?.Id,
            IpAddress = origin.IpAddress,
            UserAgent = origin.UserAgent is { Length: > 512 } agent ? agent[..512] : origin.UserAgent,
            RequestId = origin.RequestId,
            ClientRequestId = origin.ClientRequestId,
            Details = details is { Count: > 0 } ? new Dictionary<string, string>(details, StringComparer.Ordinal) : null,
        };
    }
}

public sealed record AuditActor(Guid? UserId, Guid? ApiKeyId)
{
    public static AuditActor Nobody { get; } = new(null, null);
}

public sealed record AuditTarget(string Type, Guid Id);

/// <summary>The details audit events carry, under the same keys in every event.</summary>
public static class AuditDetails
{
    public const string From = "from";
    public const string To = "to";
    public const string Role = "role";
    public const string Name = "name";

    /// <summary>The version a change of a versioned resource (a dashboard) recorded.</summary>
    public const string Version = "version";

    /// <summary>The earlier version a change made current again.</summary>
    public const string RestoredFrom = "restored_from";

    /// <summary>A role as the API spells it (<c>admin</c>, <c>editor</c>, <c>viewer</c>).</summary>
    public static string NameOf(Organizations.Role role) => role.ToString().ToLowerInvariant();

    /// <summary><c>{"from": …, "to": …}</c> for a value that changed.</summary>
    public static IReadOnlyDictionary<string, string> Change(string from, string to) =>
        new Dictionary<string, string>(StringComparer.Ordinal) { [From] = from, [To] = to };
}

public sealed record AuditOrigin(string? IpAddress, string? UserAgent, string? RequestId, string? ClientRequestId = null);

/// <summary>Every audited action, in one place.</summary>
public static class AuditActions
{
    public const string Registered = "auth.registered";
    public const string LoginSucceeded = "auth.login_succeeded";
    public const string LoginFailed = "auth.login_failed";
    public const string LockedOut = "auth.locked_out";
    public const string RefreshTokenReused = "auth.refresh_token_reused";
    public const string LoggedOut = "auth.logged_out";
    public const string SessionRevoked = "auth.session_revoked";
    public const string PasswordResetRequested = "auth.password_reset_requested";
    public const string PasswordReset = "auth.password_reset";
    public const string PasswordChanged = "auth.password_changed";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string OrganizationUpdated = "organization.updated";
    public const string UserRoleChanged = "user.role_changed";
    public const string UserRemoved = "user.removed";
    public const string InvitationCreated = "invitation.created";
    public const string InvitationRevoked = "invitation.revoked";
    public const string InvitationAccepted = "invitation.accepted";
    public const string DataSourceCreated = "datasource.created";
    public const string DataSourceUpdated = "datasource.updated";
    public const string DataSourceDeleted = "datasource.deleted";
    public const string DataSourcePrivilegedAccountAllowed = "datasource.privileged_account_allowed";
    public const string DataSourcePrivilegedAccountDisallowed = "datasource.privileged_account_disallowed";
    public const string QueryCreated = "query.created";
    public const string QueryUpdated = "query.updated";
    public const string QueryArchived = "query.archived";
    public const string QueryRestored = "query.restored";
    public const string QueryForked = "query.forked";
    public const string VisualizationCreated = "visualization.created";
    public const string VisualizationUpdated = "visualization.updated";
    public const string VisualizationArchived = "visualization.archived";
    public const string VisualizationRestored = "visualization.restored";
    public const string CanvasCreated = "canvas.created";
    public const string CanvasUpdated = "canvas.updated";
    public const string CanvasGraphReplaced = "canvas.graph_replaced";
    public const string CanvasArchived = "canvas.archived";
    public const string CanvasRestored = "canvas.restored";
    public const string DashboardCreated = "dashboard.created";
    public const string DashboardUpdated = "dashboard.updated";
    public const string DashboardArchived = "dashboard.archived";
    public const string DashboardRestored = "dashboard.restored";
    public const string DashboardShareCreated = "dashboard.share_created";
    public const string DashboardShareRevoked = "dashboard.share_revoked";
    public const string AlertCreated = "alert.created";
    public const string AlertUpdated = "alert.updated";
    public const string AlertArchived = "alert.archived";
    public const string AlertRestored = "alert.restored";

    public const string WebhookCreated = "webhook.created";
    public const string WebhookUpdated = "webhook.updated";
    public const string WebhookDeleted = "webhook.deleted";
    public const string WebhookSecretRotated = "webhook.secret_rotated";

    /// <summary>A webhook disabled itself: its receiver answered 410 Gone, or too many deliveries in a row failed.</summary>
    public const string WebhookDisabled = "webhook.disabled";
    public const string WebhookDeliveryRedelivered = "webhook.delivery_redelivered";

    public const string ScheduleCreated = "schedule.created";
    public const string ScheduleUpdated = "schedule.updated";
    public const string ScheduleArchived = "schedule.archived";
    public const string ScheduleRestored = "schedule.restored";
    public const string ScheduleTriggered = "schedule.triggered";

    /// <summary>A schedule paused itself after too many failed runs in a row (no user acted: the actor is none).</summary>
    public const string SchedulePaused = "schedule.paused";

    /// <summary>An instance admin put a finished job back in its queue (the target is the job; details name its kind and organization).</summary>
    public const string JobRetried = "job.retried";

    /// <summary>An instance admin cancelled a job, or asked its node to stop it.</summary>
    public const string JobCancelled = "job.cancelled";

    /// <summary>An instance admin deleted a finished job.</summary>
    public const string JobDeleted = "job.deleted";

    /// <summary>An instance admin stopped a schedule from the jobs dashboard (recorded in the schedule's organization, the actor the admin).</summary>
    public const string ScheduleDisabledByAdmin = "schedule.disabled_by_admin";

    /// <summary>An instance admin started a stopped or paused schedule again from the jobs dashboard.</summary>
    public const string ScheduleEnabledByAdmin = "schedule.enabled_by_admin";

    /// <summary>An instance admin queued a system job now (the target is the job; details name its kind).</summary>
    public const string SystemJobTriggered = "system_job.triggered";

    /// <summary>An instance admin paused a system job: no node queues it on its timer until it is resumed (details name its kind).</summary>
    public const string SystemJobPaused = "system_job.paused";

    /// <summary>An instance admin resumed a paused system job.</summary>
    public const string SystemJobResumed = "system_job.resumed";
    /// <summary>An instance admin paused a queue of the job engine (no target; the details name the queue).</summary>
    public const string JobQueuePaused = "job.queue_paused";

    /// <summary>An instance admin resumed a paused queue of the job engine.</summary>
    public const string JobQueueResumed = "job.queue_resumed";
}
