using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Results;
using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Audit;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Connectors;
using Loupe.Infrastructure.Dashboards;
using Loupe.Infrastructure.Health;
using Loupe.Infrastructure.Jobs;
using Loupe.Infrastructure.Persistence;
using Loupe.Infrastructure.Persistence.Migrations;
using Loupe.Infrastructure.Results;
using Loupe.Infrastructure.Runs;
using Loupe.Infrastructure.Schedules;
using Loupe.Infrastructure.Security;
using Loupe.Infrastructure.Security.Secrets;
using Loupe.Infrastructure.Tenancy;
using Loupe.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Tag of the health checks that decide readiness.</summary>
    public const string ReadinessTag = "ready";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        NpgsqlSwitches.Apply();
        services.AddOptions<DatabaseOptions>()
            .Configure(options =>
            {
                configuration.GetSection(DatabaseOptions.Section).Bind(options);
                options.ConnectionString = configuration.GetConnectionString("Loupe") ?? string.Empty;
                options.OwnerConnectionString = configuration.GetConnectionString("LoupeOwner");
            })
            .ValidateProblems(options => options.Problems());

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = options.PoolBuilder(options.MaxPoolSize, "loupe");

            // Loupe's own work leaves nothing in a session (its settings are transaction-local, its locks
            // transaction-level, no LISTEN on this pool), so the reset Npgsql would send before each reuse
            // (about seven statements) is skipped; the prepared statements stay either way.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            return builder.Build();
        });
        services.TryAddScoped<ICurrentUser, NoCaller>();
        services.TryAddScoped<IRequestOrigin, NoRequestOrigin>();
        services.AddScoped<ITenantScope, TenantScope>();
        services.AddScoped<IInstanceAdminOrganizationWork, InstanceAdminOrganizationWork>();
        services.AddScoped<TenantCommandInterceptor>();
        services.AddScoped<DomainEventDispatcher>();
        services.AddDbContext<LoupeDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(
                provider.GetRequiredService<TenantCommandInterceptor>(),
                PreparedStatementInterceptor.Instance,
                provider.GetRequiredService<DashboardChangeInterceptor>())
            .QuietCommandErrors());
        services.AddScoped<IUnitOfWork>(provider => provider.GetRequiredService<LoupeDbContext>());
        services.AddScoped(typeof(IRepository<>), typeof(Repository<>));
        services.AddScoped<IQueryExecutor, QueryExecutor>();
        services.AddScoped<IReadStore, ReadStore>();
        services.AddScoped<ICredentialLocator, CredentialLocator>();
        services.AddScoped<ICredentialUsage, CredentialUsage>();
        services.AddScoped<IAuditTrail, AuditTrail>();
        services.AddScoped<IResultStore, PostgresResultStore>();
        services.AddScoped<ILatestResultColumns, LatestResultColumns>();
        services.AddScoped<IResultPreviews, PostgresResultStore>();
        services.AddSingleton<IDatabaseFailures>(DatabaseFailures.Instance);

        services.TryAddSingleton<OwnerConnections>();
        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrateOnStartup>();

        services.AddSecurityServices(configuration);
        services.AddSecretProtection(configuration);
        services.AddConnectors(configuration);
        services.AddJobs(configuration);
        services.AddRuns(configuration);
        services.AddWebhooks(configuration);
        services.AddSchedules(configuration);
        services.AddDashboards(configuration);

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [ReadinessTag])
            .AddCheck<MigrationsHealthCheck>("migrations", HealthStatus.Unhealthy, [ReadinessTag]);

        return services;
    }

}
