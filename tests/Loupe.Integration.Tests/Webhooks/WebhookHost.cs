using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Webhooks;

/// <summary>
/// A host running the job engine, delivering to plain-http receivers on 127.0.0.1 (allow-listed), with
/// retries a few milliseconds apart and webhooks that disable themselves after three failures in a row.
/// </summary>
public sealed class WebhookHost : IAsyncLifetime, IResettableDatabase
{
    public IdentityApi Api { get; } = new(new Dictionary<string, string?>
    {
        ["Jobs:RunInApi"] = "true",
        ["Jobs:PollMilliseconds"] = "100",
        ["Jobs:MaxRunningPerOrganization"] = "20",
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowedHosts:0"] = "127.0.0.1",
        ["Webhooks:RetryBaseSeconds"] = "0.05",
        ["Webhooks:RetryMaxSeconds"] = "0.2",
        ["Webhooks:DisableAfterFailures"] = "3",
    });

    public ValueTask InitializeAsync() => Api.InitializeAsync();

    public Task ResetAsync() => Api.ResetAsync();

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
