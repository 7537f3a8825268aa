using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Loupe.Application.Common.Paging;

namespace Loupe.Api.Http;

/// <summary>
/// Timestamps leave Loupe as RFC 3339 in UTC with a <c>Z</c>, whatever offset a value carried, at
/// one precision: always six fraction digits, microseconds, what PostgreSQL stores. A value made in
/// memory (the answer to a create) has .NET's 100 ns ticks; cutting them here, the one place every
/// timestamp goes out, makes it the same string as the one read back from the database (both
/// truncate). Incoming ones must name their offset (a bare local time is ambiguous and refused).
/// </summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>What a refused timestamp is told (after its field's name).</summary>
    public const string Expected = "Expected an RFC 3339 timestamp with an offset, such as 2026-11-25T09:30:00Z.";

    /// <summary>Microseconds, always six digits; <c>ffffff</c> truncates the seventh, as PostgreSQL's storage does.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.GetString() is not { } text || !Rfc3339.TryParse(text, out var value))
        {
            throw new JsonException(Expected);
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
