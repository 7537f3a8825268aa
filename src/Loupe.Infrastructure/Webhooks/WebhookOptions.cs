using Loupe.Application.Webhooks;
using Loupe.Domain.DataSources;
using Loupe.Domain.Webhooks;

namespace Loupe.Infrastructure.Webhooks;

/// <summary>The <c>Webhooks</c> section: where deliveries may go, when a failing webhook disables itself, how retries are spaced, how many go at once.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// On-premises receivers deliveries may reach although their address is private or local: host
    /// names, addresses in any spelling, or networks such as <c>10.20.0.0/16</c>. Empty by default.
    /// Link-local, multicast and cloud metadata addresses stay refused whatever this says.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Whether receivers may be plain http; unset means only in the Development environment.</summary>
    public bool? AllowHttp { get; set; }

    /// <summary>Deliveries in a row that end in failure before a webhook disables itself (1–1000).</summary>
    public int DisableAfterFailures { get; set; } = 15;

    /// <summary>The wait before the second attempt (0.01–3600 s); each next one doubles, with jitter.</summary>
    public double RetryBaseSeconds { get; set; } = 10;

    /// <summary>The longest wait between attempts (at least the base, at most 86400 s).</summary>
    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>Deliveries one node sends at once (1–256).</summary>
    public int MaxConcurrentDeliveries { get; set; } = 16;

    internal WebhookSettings Settings(bool development) => new(
        AllowHttp ?? development,
        new WebhookAddressPolicy(AllowedHosts),
        DisableAfterFailures,
        TimeSpan.FromSeconds(RetryBaseSeconds),
        TimeSpan.FromSeconds(RetryMaxSeconds),
        MaxConcurrentDeliveries);

    internal IEnumerable<string> Problems()
    {
        foreach (var entry in AllowedHosts)
        {
            if (string.IsNullOrWhiteSpace(entry) || entry.Trim().Length > ConnectionSettings.HostMaxLength
                || (entry.Contains('/', StringComparison.Ordinal) && !HostPolicy.TryParseEntry(entry.Trim(), out _)))
            {
                yield return $"Webhooks:AllowedHosts entries are host names, addresses or networks (address/prefix); '{entry}' is none of them.";
            }
        }

        if (DisableAfterFailures is < 1 or > 1000)
        {
            yield return "Webhooks:DisableAfterFailures must be between 1 and 1000.";
        }

        if (RetryBaseSeconds is < 0.01 or > 3600)
        {
            yield return "Webhooks:RetryBaseSeconds must be between 0.01 and 3600.";
        }

        if (RetryMaxSeconds < RetryBaseSeconds || RetryMaxSeconds > 86_400)
        {
            yield return "Webhooks:RetryMaxSeconds must be at least Webhooks:RetryBaseSeconds and at most 86400.";
        }

        if (MaxConcurrentDeliveries is < 1 or > 256)
        {
            yield return "Webhooks:MaxConcurrentDeliveries must be between 1 and 256.";
        }
    }
}
