namespace Loupe.Infrastructure.Telemetry;

/// <summary>
/// The <c>Telemetry</c> section (ADR 0040): where traces and metrics are pushed over OTLP. Nothing is
/// pushed unless an endpoint is given here or in the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The standard variable the OTLP exporter reads itself; Loupe only checks whether it is set.</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public OtlpOptions Otlp { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (!string.IsNullOrWhiteSpace(Otlp.Endpoint)
            && (!Uri.TryCreate(Otlp.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            yield return "Telemetry:Otlp:Endpoint must be an absolute http or https URL, such as http://collector:4317.";
        }

        if (Otlp.Protocol is not (OtlpOptions.Grpc or OtlpOptions.HttpProtobuf))
        {
            yield return $"Telemetry:Otlp:Protocol must be '{OtlpOptions.Grpc}' or '{OtlpOptions.HttpProtobuf}'.";
        }
    }

    public sealed class OtlpOptions
    {
        public const string Grpc = "grpc";
        public const string HttpProtobuf = "http/protobuf";

        /// <summary>The collector's base address (gRPC: <c>http://host:4317</c>; HTTP: <c>http://host:4318</c>); empty means none.</summary>
        public string? Endpoint { get; set; }

        public string Protocol { get; set; } = Grpc;
    }
}
