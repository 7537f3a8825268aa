using System.Text.Json;
using Loupe.Application.Common.Results;
using Microsoft.Extensions.Options;

namespace Loupe.Api.Http;

/// <summary>The API's own JSON options (<see cref="ApiServices.ConfigureJson"/>) for answers kept ready as bytes.</summary>
internal sealed class WireJson(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> options) : IWireJson
{
    private readonly JsonSerializerOptions _options = options.Value.SerializerOptions;

    public byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, _options);
}
