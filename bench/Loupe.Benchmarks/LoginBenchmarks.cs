using System.Diagnostics;
using System.Security.Cryptography;
using Loupe.Application;
using Loupe.Application.Auth.Commands.Login;
using Loupe.Application.Auth.Commands.Register;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Security;
using Loupe.Infrastructure;
using Loupe.Infrastructure.Logging;
using Loupe.Infrastructure.Security.Tokens;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using static Loupe.Benchmarks.Figures;

namespace Loupe.Benchmarks;

/// <summary>
/// Refused sign-ins (ADR 0014, 0018): the time of <c>LoginCommand</c> with a wrong password for a
/// known address and for unknown addresses, interleaved, through the mediator pipeline that
/// <c>POST /auth/login</c> sends it to, beside the baseline measured in the same run: one Argon2id
/// verification on its own, the work both paths must spend so that their timing tells nobody whether
/// an account exists. The two medians should differ by far less than the baseline. Nothing is
/// asserted: the figures depend on the machine.
/// </summary>
internal static class LoginBenchmarks
{
    private const int Logins = 200;
    private const int WarmUp = 20;
    private const string Password = "correct horse battery staple";
    private const string WrongPassword = "not the password";

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var database = await BenchDatabase.CreateAsync(settings, 1);
        try
        {
            using var host = Build(database);
            var known = $"known-{Guid.NewGuid():N}@bench.invalid";
            await SendAsync(host, new RegisterCommand(known, Password, "Bench", "Login bench"));
            for (var i = 0; i < WarmUp; i++)
            {
                await RefusedAsync(host, known);
                await RefusedAsync(host, Unknown());
            }

            var knownTimes = new List<TimeSpan>(Logins);
            var unknownTimes = new List<TimeSpan>(Logins);
            for (var i = 0; i < Logins; i++)
            {
                knownTimes.Add(await RefusedAsync(host, known));
                unknownTimes.Add(await RefusedAsync(host, Unknown()));
            }

            var verifications = Verifications(host.Services.GetRequiredService<IPasswordHasher>());
            Console.WriteLine("== login: refused sign-ins, LoginCommand through the mediator pipeline (POST /auth/login without HTTP), one at a time ==");
            Console.WriteLine(
                $"login   known address, wrong password, {Logins}: {Spread(knownTimes)}" +
                $" | unknown address, {Logins} interleaved: {Spread(unknownTimes)}" +
                $" | median known - unknown {Milliseconds(Median(knownTimes) - Median(unknownTimes))}" +
                $" | baseline one Argon2id verification alone, {Logins}: {Spread(verifications)}");
            return 0;
        }
        finally
        {
            await database.DropAsync();
        }
    }

    /// <summary>The time until the sign-in is refused; a sign-in that is not refused ends the section.</summary>
    private static async Task<TimeSpan> RefusedAsync(IHost host, string email)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await SendAsync(host, new LoginCommand(email, WrongPassword));
        }
        catch (UnauthenticatedException)
        {
            return watch.Elapsed;
        }

        throw new InvalidOperationException($"The sign-in of {email} with a wrong password was not refused.");
    }

    private static List<TimeSpan> Verifications(IPasswordHasher hasher)
    {
        var hash = hasher.Hash(Password);
        var times = new List<TimeSpan>(Logins);
        for (var i = 0; i < WarmUp + Logins; i++)
        {
            var watch = Stopwatch.StartNew();
            hasher.Verify(WrongPassword, hash);
            if (i >= WarmUp)
            {
                times.Add(watch.Elapsed);
            }
        }

        return times;
    }

    private static async Task SendAsync<T>(IHost host, IRequest<T> request)
    {
        var scope = host.Services.CreateAsyncScope();
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
        }
    }

    private static string Unknown() => $"unknown-{Guid.NewGuid():N}@bench.invalid";

    /// <summary>The API's services (no HTTP, no engine), anonymous callers, limits raised so that only the password is refused.</summary>
    private static IHost Build(BenchDatabase database)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "worker.appsettings.json"), optional: false)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Loupe"] = database.AppConnection,
                ["Database:MigrateOnStartup"] = "false",
                ["Auth:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
                ["Secrets:ActiveKeyId"] = "bench",
                ["Secrets:Keys:bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["RateLimits:Scopes:auth.email:PermitLimit"] = "10000",
                ["RateLimits:Scopes:auth.email:WindowSeconds"] = "60",
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
        var logger = new LoggerConfiguration()
            .ReadLoupeSettings(builder.Configuration)
            .WriteTo.Console(LoupeLogging.LineFormatter(development: true), standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.AddScoped<ICurrentUser, BenchCaller>();
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration);

        // What the API host adds beside them for signing in: the access-token issuer.
        builder.Services.AddAccessTokens(builder.Configuration);
        return builder.Build();
    }
}
