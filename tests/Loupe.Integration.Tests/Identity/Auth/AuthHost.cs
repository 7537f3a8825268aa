using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>
/// One database and one running host shared by every test of a class (starting a host per test is
/// slow). The database is emptied before each test of a class deriving from <see cref="ResetBeforeEachTest"/>.
/// </summary>
public class AuthHost : IAsyncLifetime, IResettableDatabase
{
    private readonly DatabaseFixture _database = new();
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    public AuthHost()
        : this(null)
    {
    }

    protected AuthHost(IReadOnlyDictionary<string, string?>? settings) => _settings = settings;

    public LoupeApiFactory Factory { get; private set; } = null!;

    /// <summary>The name of this class's database, for reading its job rows.</summary>
    public string DatabaseName => _database.Name;

    public IdentityDriver Identity { get; private set; } = null!;

    /// <summary>A client without credentials; shared, so never give it a default header.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        Factory = LoupeApiFactory.For(_database, settings: _settings);
        Identity = new IdentityDriver(Factory);
        Anonymous = Factory.CreateClient();
    }

    public Task ResetAsync() => _database.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A host that also runs the job engine, so the mails that jobs send (password resets) arrive.</summary>
public class JobsAuthHost : AuthHost
{
    public JobsAuthHost()
        : this(new Dictionary<string, string?>())
    {
    }

    protected JobsAuthHost(Dictionary<string, string?> settings)
        : base(new Dictionary<string, string?>(settings) { ["Jobs:RunInApi"] = "true" })
    {
    }

    /// <summary>Waits until no password reset job is queued or running, so what they did (or did not) is visible.</summary>
    public Task PasswordResetJobsDoneAsync() =>
        Eventually.HoldsAsync(
            async () => await Jobs.JobRows.CountAsync(DatabaseName, "WHERE kind = 'auth.password_reset_mail' AND state IN ('queued', 'running')") == 0,
            TimeSpan.FromSeconds(30),
            "every password reset job has finished");

    /// <summary>Waits until no refused sign-in's job is queued or running, so the failures it counts and the lockout are visible.</summary>
    public Task LoginFailedJobsDoneAsync() =>
        Eventually.HoldsAsync(
            async () => await Jobs.JobRows.CountAsync(DatabaseName, "WHERE kind = 'auth.login_failed' AND state IN ('queued', 'running')") == 0,
            TimeSpan.FromSeconds(30),
            "every refused sign-in's job has finished");

    /// <summary>Waits for the <paramref name="count"/>-th password reset mail to <paramref name="email"/> and returns its token.</summary>
    public async Task<string> ResetTokenMailedAsync(string email, int count = 1)
    {
        await Eventually.HoldsAsync(
            () => Task.FromResult(Factory.Mail.Sent.Count(m => m.Kind == Application.Common.Security.MailKind.PasswordReset
                                                               && string.Equals(m.To, email, StringComparison.OrdinalIgnoreCase)) >= count),
            TimeSpan.FromSeconds(30),
            $"password reset mail {count} to {email}");
        return Factory.Mail.TokenSentTo(email, Application.Common.Security.MailKind.PasswordReset);
    }
}

/// <summary>A host whose per-email attempt limit is 3 per minute.</summary>
public sealed class TightEmailLimitHost : JobsAuthHost
{
    public const int PermitLimit = 3;

    public TightEmailLimitHost()
        : base(new Dictionary<string, string?> { ["RateLimits:Scopes:auth.email:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) })
    {
    }
}

/// <summary>A host whose refresh-token reuse grace is one second, so a test can wait it out.</summary>
public sealed class ShortRefreshGraceHost : AuthHost
{
    public ShortRefreshGraceHost()
        : base(new Dictionary<string, string?> { ["Auth:RefreshReuseGraceSeconds"] = "1" })
    {
    }
}
