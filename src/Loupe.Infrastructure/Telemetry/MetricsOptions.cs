namespace Loupe.Infrastructure.Telemetry;

/// <summary>
/// The <c>Metrics</c> section (ADR 0040): the Prometheus scrape endpoint <c>/metrics</c> of each host,
/// and who may read it. <c>Loupe.Api</c> serves it on its own listener; <c>Loupe.Worker</c> on a small
/// listener of its own at <see cref="Port"/>.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    public const string Path = "/metrics";

    /// <summary>Whether <c>/metrics</c> is served at all (OTLP export, when configured, does not depend on it).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The secret a scraper sends as <c>Authorization: Bearer …</c> (or <c>Metrics__BearerToken_FILE</c>).
    /// Required outside Development: without it every scrape there is refused.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>The worker's metrics listener (all interfaces); none when unset. The API ignores it.</summary>
    public int? Port { get; set; }

    public const int MinTokenLength = 32;

    public IEnumerable<string> Problems()
    {
        if (BearerToken is { } token && (token.Length < MinTokenLength || token.Any(char.IsWhiteSpace)))
        {
            yield return $"Metrics:BearerToken must be at least {MinTokenLength} characters without spaces.";
        }

        if (Port is < 1 or > 65535)
        {
            yield return "Metrics:Port must be between 1 and 65535.";
        }
    }
}
