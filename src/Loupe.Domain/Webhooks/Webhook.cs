using Loupe.Domain.Common;
using Loupe.Domain.DataSources;

namespace Loupe.Domain.Webhooks;

/// <summary>
/// An HTTPS endpoint of a receiver that is told about the events it subscribes to. Its signing secret
/// is kept encrypted and is shown only when it is made (on create and on rotation). A webhook whose
/// receiver answers 410 Gone, or fails too many deliveries in a row, disables itself and says why.
/// </summary>
public sealed class Webhook : AggregateRoot, ITenantOwned
{
    public const int NameMaxLength = 100;

    private string _secretKeyId = string.Empty;
    private byte[] _secretCipher = [];

    private Webhook(Guid id, Guid organizationId, string name, string url, IReadOnlyList<string> events, bool enabled, DateTimeOffset createdAt)
        : base(id)
    {
        OrganizationId = organizationId;
        Name = name;
        Url = url;
        Events = events;
        Enabled = enabled;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid OrganizationId { get; private set; }

    public string Name { get; private set; }

    /// <summary>The absolute URL deliveries are POSTed to (checked by <see cref="WebhookUrl"/>).</summary>
    public string Url { get; private set; }

    /// <summary>The event types it subscribes to: one or more of <see cref="WebhookEvents.All"/>, each once, in that order.</summary>
    public IReadOnlyList<string> Events { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>Why it disabled itself (<see cref="WebhookDisabledReasons"/>); null when enabled, or disabled by a person.</summary>
    public string? DisabledReason { get; private set; }

    /// <summary>Deliveries that ended in failure since the last success (or since it was enabled).</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>The encrypted signing secret; only the secret protector opens it.</summary>
    public EncryptedSecret Secret
    {
        get => EncryptedSecret.Create(_secretKeyId, _secretCipher);
        private set
        {
            _secretKeyId = value.KeyId;
            _secretCipher = value.CipherText.ToArray();
        }
    }

    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The stored row's version (HTTP <c>If-Match</c>).</summary>
    public uint RowVersion { get; private set; }

    public static Webhook Create(
        Guid id, Guid organizationId, string name, WebhookUrl url, IEnumerable<string> events, bool enabled, EncryptedSecret secret, Guid? createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(secret);
        if (organizationId == Guid.Empty)
        {
            throw new ArgumentException("A webhook belongs to an organization.", nameof(organizationId));
        }

        return new Webhook(id, organizationId, CheckName(name), url.Value, CheckEvents(events), enabled, now)
        {
            Secret = secret,
            CreatedBy = createdBy,
        };
    }

    public void Rename(string name, DateTimeOffset now)
    {
        Name = CheckName(name);
        UpdatedAt = now;
    }

    public void ChangeUrl(WebhookUrl url, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url.Value;
        UpdatedAt = now;
    }

    public void Subscribe(IEnumerable<string> events, DateTimeOffset now)
    {
        Events = CheckEvents(events);
        UpdatedAt = now;
    }

    /// <summary>Enabling starts the failure count again; disabling by a person leaves no reason.</summary>
    public void SetEnabled(bool enabled, DateTimeOffset now)
    {
        if (enabled && !Enabled)
        {
            ConsecutiveFailures = 0;
        }

        Enabled = enabled;
        DisabledReason = null;
        UpdatedAt = now;
    }

    public void RotateSecret(EncryptedSecret secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Secret = secret;
        UpdatedAt = now;
    }

    /// <summary>Whether an event of <paramref name="eventType"/> is delivered to it now.</summary>
    public bool Wants(string eventType) => Enabled && Events.Contains(eventType, StringComparer.Ordinal);

    /// <summary>A delivery succeeded: the failure count starts again. False when nothing changed.</summary>
    public bool RecordSuccess()
    {
        if (ConsecutiveFailures == 0)
        {
            return false;
        }

        ConsecutiveFailures = 0;
        return true;
    }

    /// <summary>
    /// A delivery ended in failure (out of attempts, or refused for good). After
    /// <paramref name="disableAfter"/> in a row the webhook disables itself: true when this one did it.
    /// </summary>
    public bool RecordFailure(int disableAfter, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(disableAfter, 1);
        ConsecutiveFailures++;
        if (!Enabled || ConsecutiveFailures < disableAfter)
        {
            return false;
        }

        Enabled = false;
        DisabledReason = WebhookDisabledReasons.TooManyFailures;
        UpdatedAt = now;
        return true;
    }

    /// <summary>The receiver answered 410 Gone: it wants no more deliveries. True when this disabled it.</summary>
    public bool DisableAsGone(DateTimeOffset now)
    {
        if (!Enabled)
        {
            return false;
        }

        Enabled = false;
        DisabledReason = WebhookDisabledReasons.Gone;
        UpdatedAt = now;
        return true;
    }

    private static string CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new DomainException(WebhookErrors.NameRequired);
        }

        return trimmed.Length > NameMaxLength ? throw new DomainException(WebhookErrors.NameTooLong) : trimmed;
    }

    private static List<string> CheckEvents(IEnumerable<string>? events)
    {
        var given = events?.ToList() ?? [];
        if (given.Count == 0)
        {
            throw new DomainException(WebhookErrors.EventsRequired);
        }

        if (given.Any(e => !WebhookEvents.IsKnown(e)))
        {
            throw new DomainException(WebhookErrors.EventUnknown);
        }

        return [.. WebhookEvents.All.Where(e => given.Contains(e, StringComparer.Ordinal))];
    }
}

/// <summary>Why a webhook disabled itself.</summary>
public static class WebhookDisabledReasons
{
    /// <summary>Its receiver answered 410 Gone.</summary>
    public const string Gone = "gone";

    /// <summary>Too many deliveries in a row failed (<c>Webhooks:DisableAfterFailures</c>).</summary>
    public const string TooManyFailures = "too_many_failures";

    public const int MaxLength = 32;
}
