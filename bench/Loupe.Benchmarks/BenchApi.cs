using System.Security.Cryptography;
using Loupe.Api;
using Loupe.Application;
using Loupe.Application.Common.Security;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Benchmarks;

/// <summary>
/// The real Loupe.Api host (its whole pipeline: authentication, rate limits, the mediator and its
/// behaviors) on a Kestrel socket of this machine, over the bench database, running the job engine
/// in-process; for an HTTP load generator outside this process. Production settings but for what a
/// bench needs: the bench database, keys made for the run, rate limits that do not throttle one user's
/// load, the bench's PostgreSQL allowed as a data source host, warnings-only logs. It adds one endpoint
/// of its own, the baseline of the HTTP benchmarks: <see cref="NoOpPath"/>, authenticated like every
/// other and sent through the mediator pipeline to a handler that does nothing. (The factory names the
/// API's assembly by one of its types: this program's own <c>Program</c> hides the API's.)
/// </summary>
internal sealed class BenchApi(BenchDatabase database) : WebApplicationFactory<IEndpointModule>
{
    public const string NoOpPath = "/api/v1/_bench/noop";

    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private readonly string _secretsKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Starts the host on a free loopback port; answers a client of it (its base address is the host's URL).</summary>
    public HttpClient Start()
    {
        UseKestrel();
        return CreateClient();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseUrls("http://127.0.0.1:0");
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Loupe"] = database.AppConnection,
            ["ConnectionStrings:LoupeOwner"] = database.OwnerConnection,
            ["Database:MigrateOnStartup"] = "false",
            ["Auth:SigningKey"] = _signingKey,
            ["Secrets:ActiveKeyId"] = "bench",
            ["Secrets:Keys:bench"] = _secretsKey,
            ["Jobs:RunInApi"] = "true",
            ["Runs:RetentionSweepMinutes"] = "0",
            ["DataSources:AllowedHosts:0"] = "127.0.0.1",
            ["RateLimits:GlobalPerMinute"] = "1000000",
            ["RateLimits:AuthPerMinute"] = "1000000",
            ["RateLimits:RefreshPerMinute"] = "1000000",
            ["RateLimits:UserPerMinute"] = "1000000",
            ["RateLimits:ApiKeyPerMinute"] = "1000000",
            ["RateLimits:RunStartsPerMinute"] = "1000000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddRequestHandlersFrom(typeof(BenchApi).Assembly);
            services.AddSingleton<IEndpointModule, NoOpEndpoint>();
        });
    }

    /// <summary>The baseline: authenticated, rate-limited and authorized like any read, and nothing else.</summary>
    private sealed class NoOpEndpoint : IEndpointModule
    {
        public void MapEndpoints(IEndpointRouteBuilder api) =>
            api.MapGet("/_bench/noop", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new NoOpQuery(), ct)));
    }
}

/// <summary>A read that reads nothing, for any member of an organization.</summary>
[Authorize]
internal sealed record NoOpQuery : IRequest<NoOpAnswer>;

internal sealed record NoOpAnswer(bool Ok);

internal sealed class NoOpQueryHandler : IRequestHandler<NoOpQuery, NoOpAnswer>
{
    private static readonly NoOpAnswer Answer = new(true);

    public Task<NoOpAnswer> Handle(NoOpQuery request, CancellationToken cancellationToken) => Task.FromResult(Answer);
}
