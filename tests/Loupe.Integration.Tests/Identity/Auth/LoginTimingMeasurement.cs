using System.Diagnostics;
using System.Net;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Identity.Auth;

/// <summary>
/// A measurement, not a check (run it on its own, it is explicit): the median time of 200 refused
/// sign-ins for a known address (wrong password) and 200 for unknown addresses, interleaved, on one
/// host. Timing is never asserted: it depends on the machine.
/// </summary>
public sealed class LoginTimingMeasurement(AuthHost host) : ResetBeforeEachTest(host), IClassFixture<AuthHost>
{
    private const int Logins = 200;

    [Fact(Explicit = true)]
    public async Task RefusedLogins_MedianTime_KnownVersusUnknown()
    {
        var known = AuthApi.NewEmail("known");
        await host.Anonymous.RegisteredAsync(known);
        for (var i = 0; i < 20; i++)
        {
            await TimeAsync(known);
            await TimeAsync(AuthApi.NewEmail("warm"));
        }

        var knownTimes = new List<double>(Logins);
        var unknownTimes = new List<double>(Logins);
        for (var i = 0; i < Logins; i++)
        {
            knownTimes.Add(await TimeAsync(known));
            unknownTimes.Add(await TimeAsync(AuthApi.NewEmail("unknown")));
        }

        TestContext.Current.TestOutputHelper!.WriteLine(
            $"refused logins, median of {Logins}: known {Median(knownTimes):F2} ms, unknown {Median(unknownTimes):F2} ms");
    }

    private async Task<double> TimeAsync(string email)
    {
        var watch = Stopwatch.StartNew();
        using var response = await host.Anonymous.LoginAsync(email, "not the password");
        watch.Stop();
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }
}
