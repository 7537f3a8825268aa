using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Runs;
using Loupe.Application.Tests.Common.Behaviors;
using Loupe.Application.Tests.Common.Paging;
using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Users;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Application.Tests.Common.InMemory;

/// <summary>
/// The application as AddApplication registers it (mediator, behaviors, handlers, validators) over
/// an in-memory store and recording stand-ins for the ports Infrastructure implements. Each
/// <see cref="SendAsync{TResponse}"/> is one request in a scope of its own, as the caller
/// <see cref="Caller"/> says.
/// </summary>
internal sealed class ApplicationHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    public ApplicationHarness(RunSettings? runSettings = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        if (runSettings is not null)
        {
            services.AddSingleton(runSettings);
        }

        services.AddApplication();
        services.AddScoped<ICurrentUser>(_ => Caller);
        services.AddScoped<ITenantScope>(_ => new TestTenant(Caller.OrganizationId));
        services.AddSingleton(Store);
        services.AddScoped<InMemoryUnitOfWork>();
        services.AddScoped<IUnitOfWork>(provider => provider.GetRequiredService<InMemoryUnitOfWork>());
        services.AddScoped(typeof(IRepository<>), typeof(InMemoryRepository<>));
        services.AddScoped<IReadStore, InMemoryReadStore>();
        services.AddSingleton<IQueryExecutor, InMemoryQueryExecutor>();
        services.AddSingleton<ICredentialLocator>(new StoreCredentialLocator(Store));
        services.AddSingleton<IAuditTrail>(Audit);
        services.AddSingleton<ICredentialUsage>(Usage);
        services.AddSingleton<IOpaqueTokens>(Tokens);
        services.AddSingleton<IRefreshTokenSuccessors>(new TestRefreshTokenSuccessors(Tokens));
        services.AddSingleton<IPasswordHasher>(Passwords);
        services.AddSingleton<IAttemptLimiter>(Limiter);
        services.AddSingleton<IInstanceJobs>(InstanceJobs);
        services.AddSingleton<IJobScheduler>(Jobs);
        services.AddSingleton<IAccessTokenIssuer>(new TestAccessTokens(Clock));
        services.AddSingleton<IRequestOrigin, TestRequestOrigin>();
        services.AddSingleton<IInstanceSettings>(Settings);
        services.AddSingleton<IMailSender>(Mail);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Who sends the next request (anonymous until a test says otherwise).</summary>
    public TestCaller Caller { get; set; } = TestCaller.Anonymous;

    public TestClock Clock { get; } = new();

    public InMemoryStore Store { get; } = new();

    public RecordingAuditTrail Audit { get; } = new();

    public RecordingCredentialUsage Usage { get; } = new();

    public TestOpaqueTokens Tokens { get; } = new();

    public TestPasswordHasher Passwords { get; } = new();

    public TestAttemptLimiter Limiter { get; } = new();

    public RecordingInstanceJobs InstanceJobs { get; } = new();

    public RecordingJobScheduler Jobs { get; } = new();

    public TestInstanceSettings Settings { get; } = new();

    public RecordingMailSender Mail { get; } = new();

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        using var scope = _provider.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, TestContext.Current.CancellationToken);
    }

    public Organization AddOrganization(string name = "Acme")
    {
        var organization = Organization.Create(Guid.CreateVersion7(), name, Clock.Now);
        Store.Seed(organization);
        return organization;
    }

    /// <summary>A saved member whose password is <paramref name="password"/>.</summary>
    public User AddUser(Organization organization, Role role = Role.Admin, string? email = null, string password = "correct horse battery")
    {
        var user = User.Register(
            Guid.CreateVersion7(),
            organization.Id,
            EmailAddress.Parse(email ?? $"{role.ToString().ToLowerInvariant()}.{Guid.NewGuid():N}@example.com"),
            "Test " + role,
            TestPasswordHasher.HashOf(password),
            role,
            isInstanceAdmin: false,
            Clock.Now);
        Store.Seed(user);
        return user;
    }

    /// <summary>A saved PostgreSQL data source (nothing connects to it) with a 60-second timeout.</summary>
    public DataSource AddDataSource(Organization organization, int queryTimeoutSeconds = 60)
    {
        var dataSource = DataSource.Create(
            Guid.CreateVersion7(),
            organization.Id,
            $"sales {Guid.NewGuid():N}",
            ConnectionSettings.Postgresql("db.example.com", 5432, "sales", "reader"),
            null,
            DataSourceLimits.Default,
            Clock.Now,
            queryTimeoutSeconds);
        Store.Seed(dataSource);
        return dataSource;
    }

    /// <summary>Sends the next requests as <paramref name="user"/>, signed in (a session, no API key).</summary>
    public TestCaller SignInAs(User user) =>
        Caller = new TestCaller(true, user.Id, user.OrganizationId, user.Role, user.IsInstanceAdmin, SessionId: Guid.CreateVersion7());

    public void Dispose() => _provider.Dispose();
}
