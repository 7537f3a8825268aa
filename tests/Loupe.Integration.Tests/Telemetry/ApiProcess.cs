using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>
/// The API as its own process, running the job engine, with the scrape token set, on a migrated
/// database of its own; data sources read a scratch database. ASP.NET Core's HTTP server meter is one per
/// process in all but name: when several test hosts share a process, every exporter reports the requests
/// of whichever host made the meter first. A host alone in its process reports its own, as in production.
/// </summary>
public sealed class ApiProcess : IAsyncLifetime
{
    private readonly ScratchDatabases _databases = new();
    private readonly StringBuilder _output = new();
    private Process? _process;

    public Uri BaseAddress { get; private set; } = null!;

    public IdentityDriver Identity { get; private set; } = null!;

    /// <summary>The database data sources of these tests read.</summary>
    public string SourceDatabase { get; private set; } = null!;

    /// <summary>What the process wrote so far, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public HttpClient NewClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask InitializeAsync()
    {
        var database = await _databases.MigratedAsync();
        SourceDatabase = await _databases.EmptyAsync();
        var port = LoupeProcess.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        _process = LoupeProcess.Start(
            "Loupe.Api",
            TestPostgres.AppConnection(database),
            TestPostgres.OwnerConnection(database),
            _output,
            new Dictionary<string, string>
            {
                ["Urls"] = BaseAddress.ToString(),
                ["Jobs__RunInApi"] = "true",
                ["Metrics__BearerToken"] = MetricsScrape.Token,
            });
        Identity = new IdentityDriver(NewClient);
        await ReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        await _databases.DisposeAsync();
    }

    private async Task ReadyAsync()
    {
        using var client = NewClient();
        await Eventually.HoldsAsync(
            async () =>
            {
                if (_process!.HasExited)
                {
                    throw new InvalidOperationException($"The API process ended with {_process.ExitCode}:\n{Output}");
                }

                try
                {
                    using var response = await client.GetAsync("/health/ready");
                    return (HttpStatusCode?)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return null; // Not listening yet.
                }
            },
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            "the API process is ready",
            status => $"{status?.ToString() ?? "not listening"}\n{Output}",
            TimeSpan.FromMilliseconds(100));
    }
}
