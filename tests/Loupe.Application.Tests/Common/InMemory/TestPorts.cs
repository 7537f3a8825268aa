using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Sessions;
using Loupe.Domain.Users;

namespace Loupe.Application.Tests.Common.InMemory;

/// <summary>A clock that says what the test sets.</summary>
internal sealed class TestClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>The organization a request works in: the caller's, until a handler enters another (sign-in, refresh).</summary>
internal sealed class TestTenant(Guid? organizationId) : ITenantScope
{
    public Guid? OrganizationId { get; private set; } = organizationId;

    public void Enter(Guid organizationId) => OrganizationId = organizationId;
}

/// <summary>The uses of credentials the handlers chose to record, in order.</summary>
internal sealed class RecordingCredentialUsage : ICredentialUsage
{
    private readonly List<(string Kind, Guid Id, DateTimeOffset UsedAt)> _uses = [];

    public IReadOnlyList<(string Kind, Guid Id, DateTimeOffset UsedAt)> Uses => _uses;

    public Task RecordApiKeyUseAsync(Guid apiKeyId, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        _uses.Add(("api_key", apiKeyId, usedAt));
        return Task.CompletedTask;
    }

    public Task RecordSessionUseAsync(Guid sessionId, DateTimeOffset usedAt, CancellationToken cancellationToken)
    {
        _uses.Add(("session", sessionId, usedAt));
        return Task.CompletedTask;
    }
}

internal sealed class RecordingAuditTrail : IAuditTrail
{
    private readonly List<(string Action, AuditTarget? Target, Guid? Actor)> _events = [];

    public IReadOnlyList<(string Action, AuditTarget? Target, Guid? Actor)> Events => _events;

    public IEnumerable<string> Actions => _events.Select(e => e.Action);

    private readonly List<IReadOnlyDictionary<string, string>?> _details = [];

    /// <summary>The details of each event, in the order of <see cref="Events"/>.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>?> Details => _details;

    public void Record(string action, AuditTarget? target = null, Guid? actorUserId = null, IReadOnlyDictionary<string, string>? details = null)
    {
        _events.Add((action, target, actorUserId));
        _details.Add(details);
    }
}

/// <summary>Successors as the SHA-256 of the presented token: the same token always has the same successor.</summary>
internal sealed class TestRefreshTokenSuccessors(IOpaqueTokens tokens) : IRefreshTokenSuccessors
{
    public OpaqueToken SuccessorOf(string prefix, string presentedToken)
    {
        var value = $"{prefix}_{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presentedToken)))}";
        return new OpaqueToken(value, tokens.HashOf(value));
    }
}

/// <summary>Readable opaque tokens: the value carries its prefix, the hash is recognizably not the value.</summary>
internal sealed class TestOpaqueTokens : IOpaqueTokens
{
    public OpaqueToken Create(string prefix)
    {
        var value = $"{prefix}_{Guid.NewGuid():N}";
        return new OpaqueToken(value, HashOf(value));
    }

    public string HashOf(string value) => "hash:" + value;

    public bool HashesEqual(string left, string right) => string.Equals(left, right, StringComparison.Ordinal);
}

/// <summary>
/// Passwords "hashed" as <c>argon:password</c>; a stored <c>old:password</c> verifies but asks for a
/// new hash (older parameters). Counts every verification, real or against the dummy.
/// </summary>
internal sealed class TestPasswordHasher : IPasswordHasher
{
    public int Verifications { get; private set; }

    public int DummyVerifications { get; private set; }

    public static string HashOf(string password) => "argon:" + password;

    public string Hash(string password) => HashOf(password);

    public PasswordVerification Verify(string password, string encodedHash)
    {
        Verifications++;
        return encodedHash == HashOf(password) ? PasswordVerification.Succeeded
            : encodedHash == "old:" + password ? PasswordVerification.SucceededNeedsRehash
            : PasswordVerification.Failed;
    }

    public void VerifyAgainstDummy(string password) => DummyVerifications++;
}

internal sealed class TestAttemptLimiter : IAttemptLimiter
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(42);

    public bool Exhausted { get; set; }

    public List<(string Scope, string Key)> Attempts { get; } = [];

    public bool TryAcquire(string scope, string key, out TimeSpan retryAfter)
    {
        Attempts.Add((scope, key));
        retryAfter = Exhausted ? RetryAfter : TimeSpan.Zero;
        return !Exhausted;
    }
}

internal sealed class RecordingInstanceJobs : IInstanceJobs
{
    public List<JobRequest> Enqueued { get; } = [];

    public Task<Guid> EnqueueAsync(JobRequest request, CancellationToken cancellationToken)
    {
        Enqueued.Add(request);
        return Task.FromResult(Guid.CreateVersion7());
    }
}

internal sealed class RecordingJobScheduler : IJobScheduler
{
    public List<(Guid Id, JobRequest Request)> Enqueued { get; } = [];

    public Guid Enqueue(JobRequest request)
    {
        var id = Guid.CreateVersion7();
        Enqueued.Add((id, request));
        return id;
    }

    public Task<JobCancellation> CancelAsync(Guid jobId, CancellationToken ct) => Task.FromResult(JobCancellation.NotCancellable);

    public Task<bool> RequeueAsync(Guid jobId, CancellationToken ct) => Task.FromResult(false);
}

/// <summary>An access token that names its claims, so a test can read whom it was issued to.</summary>
internal sealed class TestAccessTokens(TimeProvider clock) : IAccessTokenIssuer
{
    public AccessToken Issue(AccessTokenClaims claims) =>
        new($"access:{claims.UserId}:{claims.SessionId}:{claims.Role}", clock.GetUtcNow().AddMinutes(15), 900);
}

internal sealed class TestRequestOrigin : IRequestOrigin
{
    public string? IpAddress => "203.0.113.7";

    public string? UserAgent => "handler tests";

    public string? RequestId => "req-1";

    public string? ClientRequestId => null;

    public Guid? ApiKeyId => null;
}

internal sealed class TestInstanceSettings : IInstanceSettings
{
    public Uri PublicUrl { get; } = new("https://loupe.example/");

    public TimeSpan RefreshTokenLifetime { get; } = TimeSpan.FromDays(30);

    public TimeSpan RefreshReuseGrace { get; set; } = TimeSpan.FromSeconds(30);

    public LockoutPolicy Lockout { get; } = LockoutPolicy.Default;

    public int MaxUsersPerOrganization { get; set; } = 50;

    public bool IsConfiguredInstanceAdmin(EmailAddress email) => false;
}

internal sealed class RecordingMailSender : IMailSender
{
    public List<OutgoingMail> Sent { get; } = [];

    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        Sent.Add(mail);
        return Task.CompletedTask;
    }
}

/// <summary>The narrow credential lookups, which see past the organizations (SECURITY DEFINER functions in PostgreSQL).</summary>
internal sealed class StoreCredentialLocator(InMemoryStore store) : ICredentialLocator
{
    public Task<LocatedCredential?> UserByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        Found(store.All<User>().Where(u => u.Email.Value == normalizedEmail).Select(u => (u.Id, u.OrganizationId)));

    public Task<LocatedCredential?> SessionByRefreshTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        Found(store.All<Session>().Where(s => s.Tokens.Any(t => t.Hash == hash)).Select(s => (s.Id, s.OrganizationId)));

    public Task<LocatedCredential?> ApiKeyBySecretHashAsync(string hash, CancellationToken cancellationToken) =>
        Found(store.All<Domain.ApiKeys.ApiKey>().Where(k => k.SecretHash == hash).Select(k => (k.Id, k.OrganizationId)));

    public Task<LocatedCredential?> InvitationByTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        Found(store.All<Domain.Invitations.Invitation>().Where(i => i.TokenHash == hash).Select(i => (i.Id, i.OrganizationId)));

    public Task<LocatedCredential?> PasswordResetByTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        Found(store.All<Domain.PasswordResets.PasswordReset>().Where(r => r.TokenHash == hash).Select(r => (r.Id, r.OrganizationId)));

    public Task<LocatedCredential?> DashboardShareByTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        Found(store.All<Domain.Dashboards.DashboardShare>().Where(s => s.TokenHash == hash).Select(s => (s.Id, s.OrganizationId)));

    public Task<bool> ClaimFirstUserAsync(CancellationToken cancellationToken) => Task.FromResult(store.All<User>().Count == 0);

    private static Task<LocatedCredential?> Found(IEnumerable<(Guid Id, Guid OrganizationId)> matches) =>
        Task.FromResult(matches.Select(m => new LocatedCredential(m.Id, m.OrganizationId)).SingleOrDefault());
}
