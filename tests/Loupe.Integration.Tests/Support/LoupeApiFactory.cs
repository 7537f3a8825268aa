using Loupe.Api;
using Loupe.Application;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// The real Loupe.Api host on a real Kestrel socket (so body limits and headers behave as in
/// production) against a database of the test class's own. Logs are captured for assertions;
/// probe endpoints can be added for pipeline tests.
/// </summary>
public sealed class LoupeApiFactory : WebApplicationFactory<Program>
{
    /// <summary>
    /// The signing key every test host gets unless its settings name <c>Auth:SigningKey</c>
    /// (an empty value there means "no key").
    /// </summary>
    public const string TestSigningKey = "loupe-integration-tests-signing-key-0123456789";

    /// <summary>
    /// The key that encrypts stored secrets in every test host unless its settings name
    /// <c>Secrets:ActiveKeyId</c>: base64 of 32 fixed bytes (0x00..0x1f), under the key id <c>test</c>.
    /// </summary>
    public const string TestSecretsKeyId = "test";

    public static readonly string TestSecretsKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    private readonly string _appConnection;
    private readonly string _ownerConnection;
    private readonly string _environment;
    private readonly bool _withProbes;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public LoupeApiFactory(
        string appConnection,
        string ownerConnection,
        string environment = "Testing",
        bool withProbes = false,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        _appConnection = appConnection;
        _ownerConnection = ownerConnection;
        _environment = environment;
        _withProbes = withProbes;
        _settings = settings ?? new Dictionary<string, string?>();
        // A real Kestrel on a free loopback port. The port is given as the host's URL rather than as
        // UseKestrel(0): that overload edits the server's addresses after the app has started them,
        // a race the framework loses now and then ("Addresses cannot be modified after the server has started").
        UseKestrel();
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>Replaces or adds services of the host (set before the host starts, i.e. before the first client).</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>Every mail the host sent (no mail leaves a test host).</summary>
    public CapturedMail Mail { get; } = new();

    /// <summary>
    /// Limits a test host starts with unless its settings name them: high enough that a test class
    /// signing in many times from 127.0.0.1 is not throttled; the rate-limit tests set their own.
    /// </summary>
    internal static readonly Dictionary<string, string> GenerousLimits = new()
    {
        ["RateLimits:GlobalPerMinute"] = "100000",
        ["RateLimits:AuthPerMinute"] = "100000",
        ["RateLimits:RefreshPerMinute"] = "100000",
        ["RateLimits:UserPerMinute"] = "100000",
        ["RateLimits:ApiKeyPerMinute"] = "100000",
        ["RateLimits:RunStartsPerMinute"] = "100000",
        ["RateLimits:Scopes:auth.email:PermitLimit"] = "10000",
        ["RateLimits:Scopes:auth.email:WindowSeconds"] = "60",
    };

    /// <summary>
    /// Debug lines of every category reach <see cref="Logs"/> unless a test's settings say otherwise: the
    /// checks that no secret is logged read more than production writes.
    /// </summary>
    private static readonly Dictionary<string, string> EveryLevelFromDebug = new()
    {
        ["Serilog:MinimumLevel:Default"] = "Debug",
        ["Serilog:MinimumLevel:Override:Microsoft"] = "Debug",
        ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Debug",
        ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Debug",
        ["Serilog:MinimumLevel:Override:System.Net.Http"] = "Debug",
    };

    public static LoupeApiFactory For(
        DatabaseFixture database,
        bool withProbes = false,
        string environment = "Testing",
        IReadOnlyDictionary<string, string?>? settings = null) =>
        new(database.AppConnection, database.OwnerConnection, environment, withProbes, settings);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseUrls("http://127.0.0.1:0");
        builder.UseSetting("ConnectionStrings:Loupe", _appConnection);
        builder.UseSetting("ConnectionStrings:LoupeOwner", _ownerConnection);
        if (!_settings.ContainsKey("Auth:SigningKey"))
        {
            builder.UseSetting("Auth:SigningKey", TestSigningKey);
        }

        if (!_settings.ContainsKey("Secrets:ActiveKeyId"))
        {
            builder.UseSetting("Secrets:ActiveKeyId", TestSecretsKeyId);
            builder.UseSetting($"Secrets:Keys:{TestSecretsKeyId}", TestSecretsKey);
        }

        foreach (var (key, value) in GenerousLimits.Where(limit => !_settings.ContainsKey(limit.Key)))
        {
            builder.UseSetting(key, value);
        }

        if (!TestDataSourceHosts.NamedIn(_settings.Keys))
        {
            foreach (var (key, value) in TestDataSourceHosts.Settings)
            {
                builder.UseSetting(key, value);
            }
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in EveryLevelFromDebug.Where(level => !_settings.ContainsKey(level.Key)))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            // A sink registered as a service joins the host's Serilog logger (LoupeLogging.AddLoupeLogging).
            services.AddSingleton<ILogEventSink>(Logs);
            services.AddSingleton<Application.Common.Security.IMailSender>(Mail);
            if (_withProbes)
            {
                services.AddRequestHandlersFrom(typeof(LoupeApiFactory).Assembly);
                services.AddSingleton<IEndpointModule, Pipeline.ProbeEndpoints>();
                services.AddSingleton<IEndpointModule, Security.AuthProbeEndpoints>();
            }

            TestServices?.Invoke(services);
        });
    }
}
