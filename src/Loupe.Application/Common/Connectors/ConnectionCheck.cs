namespace Loupe.Application.Common.Connectors;

/// <summary>
/// A successful connection test: what the server calls its version, how long the round trip took, and
/// anything an admin should know about the account (e.g. that it is a superuser).
/// </summary>
public sealed record ConnectionCheck(string ServerVersion, TimeSpan Latency, IReadOnlyList<string> Warnings);
