namespace Loupe.Application.Common.Connectors;

/// <summary>A successful connection test: what the server calls its version and how long the round trip took.</summary>
public sealed record ConnectionCheck(string ServerVersion, TimeSpan Latency);
