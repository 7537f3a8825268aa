using Loupe.Integration.Tests.Runs;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Alerts;

/// <summary>
/// The runs host with a clock a test may hold (<see cref="Clock"/>), for what alerts decide from "now":
/// whether <c>rearm_seconds</c> have passed since the last notice. It follows the system's clock until a
/// test holds it, and is let go before each test. Jobs fall due by the database's clock, not this one.
/// </summary>
public sealed class AlertsApi : RunsApi, IResettableDatabase
{
    public HoldableClock Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    Task IResettableDatabase.ResetAsync()
    {
        Clock.Release();
        return ResetAsync();
    }
}
