using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Loupe.Integration.Tests.ErrorReporting;

/// <summary>
/// The error-reporting tests run one after another: Sentry's SDK is one per process, and each test
/// initializes it (or checks that it is not) for its own receiver.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ErrorReportingSerial
{
    public const string Name = "Error reporting";

    /// <summary>How long an event may take from capture to the receiver.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>A tag of a received event, or null.</summary>
    internal static string? Tag(JsonElement sentryEvent, string name) =>
        sentryEvent.TryGetProperty("tags", out var tags) && tags.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>The types of an event's exceptions, innermost first as the SDK lists them.</summary>
    internal static IReadOnlyList<string?> ExceptionTypes(JsonElement sentryEvent) =>
        [.. Exceptions(sentryEvent).Select(exception => exception.GetProperty("type").GetString())];

    internal static IReadOnlyList<JsonElement> Exceptions(JsonElement sentryEvent) =>
        [.. sentryEvent.GetProperty("exception").GetProperty("values").EnumerateArray()];

    /// <summary>The configuration a worker host reads its DSN from.</summary>
    internal static IConfiguration ReportingConfiguration(string? dsn) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Sentry:Dsn"] = dsn }).Build();
}
