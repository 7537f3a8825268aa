using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Loupe.Application.Common.Paging;

namespace Loupe.Api.Http;

/// <summary>
/// Timestamps leave Loupe as RFC 3339 in UTC with a <c>Z</c>, whatever offset a value carried;
/// incoming ones must name their offset (a bare local time is ambiguous and refused).
/// </summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>What a refused timestamp is told (after its field's name).</summary>
    public const string Expected = "Expected an RFC 3339 timestamp with an offset, such as 2026-11-25T09:30:00Z.";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.GetString() is not { } text || !Rfc3339.TryParse(text, out var value))
        {
            throw new JsonException(Expected);
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
