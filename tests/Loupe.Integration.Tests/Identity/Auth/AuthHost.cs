using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>
/// One database and one running host shared by every test of a class (starting a host per test is
/// slow). Tests register people with unique emails, so they do not see each other.
/// </summary>
public class AuthHost : IAsyncLifetime
{
    private readonly DatabaseFixture _database = new();
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    public AuthHost()
        : this(null)
    {
    }

    protected AuthHost(IReadOnlyDictionary<string, string?>? settings) => _settings = settings;

    public LoupeApiFactory Factory { get; private set; } = null!;

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

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A host whose per-email attempt limit is 3 per minute.</summary>
public sealed class TightEmailLimitHost : AuthHost
{
    public const int PermitLimit = 3;

    public TightEmailLimitHost()
        : base(new Dictionary<string, string?> { ["RateLimits:Scopes:auth.email:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) })
    {
    }
}
