using System.Security.Cryptography;
using System.Text;
using Loupe.Application.Auth;
using Loupe.Application.Auth.Commands.Register;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.DataSources;
using Loupe.Domain.Sessions;
using Loupe.Infrastructure.Persistence.Migrations;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Loupe.Infrastructure.Demo;

/// <summary>
/// Development only (see <see cref="DemoServices"/>): on the first start of a fresh instance — no
/// user yet — creates the organization "Demo" with an admin (<see cref="DemoOptions.Email"/>, a
/// generated password) through the same registration as <c>POST /auth/register</c>, registers the
/// demo shop database as its data source "Demo shop" (password encrypted), and prints the sign-in
/// in one log line, the only line that ever carries the password. It also writes the sign-in to
/// <see cref="DemoOptions.CredentialsFile"/> (owner-only) for <c>build/run.sh</c>. On any later
/// start, or on an instance that already has users, it does nothing. Registered after the
/// start-up migration, so it runs once the schema is current; a failure is logged and does not
/// stop the start.
/// </summary>
internal sealed partial class DemoOrganizationSeeder(
    IServiceScopeFactory scopes,
    MigrationRunner migrations,
    IOptions<DemoOptions> options,
    TimeProvider clock,
    ILogger<DemoOrganizationSeeder> logger) : IHostedService
{
    /// <summary>24 characters of 57 (no look-alikes such as 0/O, 1/l/I): about 140 bits.</summary>
    public const int PasswordLength = 24;

    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SeedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (IsExpected(failure))
        {
            LogNotCreated(failure.GetType().Name, failure.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A new demo password: letters and digits only, so it reads and pastes without quoting.</summary>
    internal static string NewPassword() => RandomNumberGenerator.GetString(PasswordAlphabet, PasswordLength);

    private static bool IsExpected(Exception failure) =>
        failure is DomainException or ValidationFailedException or ConflictException or DbUpdateException
            or NpgsqlException or TimeoutException or SecretProtectionException or InvalidOperationException;

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        if ((await migrations.StatusAsync(cancellationToken).ConfigureAwait(false)).Any(migration => !migration.Applied))
        {
            LogMigrationsPending();
            return;
        }

        var demo = options.Value;
        var password = NewPassword();
        var created = await RegisterAdminAsync(password, cancellationToken).ConfigureAwait(false);
        if (created is null)
        {
            LogNotFresh();
            return;
        }

        // The admin exists from here on: whatever happens to the data source, the sign-in is shown.
        try
        {
            await AddDataSourceAsync(created.Value, demo, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (IsExpected(failure))
        {
            LogDataSourceNotAdded(failure.GetType().Name, failure.Message);
        }

        if (!string.IsNullOrWhiteSpace(demo.CredentialsFile))
        {
            WriteCredentials(demo.CredentialsFile, password);
        }

        LogReady(DemoOptions.Email, password);
    }

    /// <summary>
    /// Registers the admin (a new organization) when the instance has no user yet; null otherwise.
    /// The registration is <c>POST /auth/register</c>'s own command, so the admin is also the
    /// instance's first user (an instance admin).
    /// </summary>
    private async Task<(LocatedCredential Admin, AuthTokens Tokens)?> RegisterAdminAsync(string password, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var locator = scope.ServiceProvider.GetRequiredService<ICredentialLocator>();

            // Outside a transaction this only asks whether the instance has no user yet; the claim
            // that makes the first user an instance admin is taken again by the registration.
            if (!await locator.ClaimFirstUserAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var tokens = await scope.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new RegisterCommand(DemoOptions.Email, password, DemoOptions.AdminName, DemoOptions.OrganizationName), cancellationToken)
                .ConfigureAwait(false);
            var admin = await locator.UserByEmailAsync(DemoOptions.Email, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The demo admin was registered but cannot be found.");
            return (admin, tokens);
        }
    }

    /// <summary>
    /// In the demo organization: the data source, as <c>POST /datasources</c> would create it (no
    /// person is signed in to send that command), and the end of the session the registration
    /// started, whose tokens nobody holds.
    /// </summary>
    private async Task AddDataSourceAsync((LocatedCredential Admin, AuthTokens Tokens) created, DemoOptions demo, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var services = scope.ServiceProvider;
            var (admin, tokens) = created;
            services.GetRequiredService<ITenantScope>().Enter(admin.OrganizationId);
            var now = clock.GetUtcNow();

            var locator = services.GetRequiredService<ICredentialLocator>();
            var refreshHash = services.GetRequiredService<IOpaqueTokens>().HashOf(tokens.RefreshToken);
            if (await locator.SessionByRefreshTokenHashAsync(refreshHash, cancellationToken).ConfigureAwait(false) is { } located
                && await services.GetRequiredService<IRepository<Session>>().FindAsync(located.Id, cancellationToken).ConfigureAwait(false) is { } session)
            {
                session.Revoke("demo_setup", now);
            }

            var dataSource = DataSource.Create(
                Guid.CreateVersion7(),
                admin.OrganizationId,
                DemoOptions.DataSourceName,
                ConnectionSettings.Postgresql(demo.Host, demo.Port, demo.Database, demo.Username),
                services.GetRequiredService<ISecretProtector>().Protect(demo.Password!),
                services.GetRequiredService<DataSourceLimits>(),
                now);
            services.GetRequiredService<IRepository<DataSource>>().Add(dataSource);
            services.GetRequiredService<IAuditTrail>().Record(AuditActions.DataSourceCreated, new AuditTarget("datasource", dataSource.Id), admin.Id);
            await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <c>email=…</c> and <c>password=…</c> lines, readable by the owner only, replacing the file whole.</summary>
    private void WriteCredentials(string path, string password)
    {
        var fullPath = Path.GetFullPath(path);
        var partial = fullPath + ".partial";
        try
        {
            var folder = Path.GetDirectoryName(fullPath)!;
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            File.Delete(partial);
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(partial, fileOptions))
            {
                file.Write(Encoding.UTF8.GetBytes($"email={DemoOptions.Email}\npassword={password}\n"));
            }

            File.Move(partial, fullPath, overwrite: true);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            LogCredentialsNotWritten(fullPath, failure.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo organization ready: sign in as {Email} with password {Password}")]
    private partial void LogReady(string email, string password);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Demo organization not created: this instance already has users")]
    private partial void LogNotFresh();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo organization not created: migrations are pending (Database:MigrateOnStartup is off?)")]
    private partial void LogMigrationsPending();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo organization not created: {ExceptionType}: {Reason}")]
    private partial void LogNotCreated(string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data source not registered: {ExceptionType}: {Reason}")]
    private partial void LogDataSourceNotAdded(string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo sign-in not written to {Path}: {Reason}")]
    private partial void LogCredentialsNotWritten(string path, string reason);
}
