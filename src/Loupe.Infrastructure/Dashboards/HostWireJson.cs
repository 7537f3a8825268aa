using System.Text.Json;
using System.Text.Json.Serialization;
using Loupe.Application.Common.Results;

namespace Loupe.Infrastructure.Dashboards;

/// <summary>
/// The wire's names (snake_case, enums by name) for hosts without the API's own JSON options (the
/// worker). The API registers its own <see cref="IWireJson"/>, which replaces this one.
/// </summary>
internal sealed class HostWireJson : IWireJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
