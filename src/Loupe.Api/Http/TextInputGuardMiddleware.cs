using System.Globalization;
using System.Text;
using System.Text.Json;
using Loupe.Domain.Common;
using Microsoft.AspNetCore.Http.Features;

namespace Loupe.Api.Http;

/// <summary>
/// The one check, for every endpoint, that text from the client can be stored: no NUL character and no
/// unpaired UTF-16 surrogate in a query-string name or value, a route value, a conditional header, or
/// any string or property name of a JSON body (written plainly or as a <c>\u0000</c> / <c>\ud800</c>
/// escape) — and, in a JSON body, no bytes that are not UTF-8. A bad text is refused with 400
/// <c>text.nul_character</c>, <c>text.lone_surrogate</c> or <c>text.invalid_utf8</c>
/// naming the field (the query parameter, or the JSON path such as <c>parameters.x</c>) before any
/// handler runs, so nothing has changed (after authorization: a refused caller gets its refusal, and a
/// request that routes nowhere its 404). The body is read once, within the request body limit Kestrel
/// already enforces, scanned with <see cref="Utf8JsonReader"/> (strings are checked as UTF-8, and only escaped ones walked for escapes),
/// and handed on to the endpoint from memory. A body that is not JSON is left to the endpoint to refuse.
/// </summary>
internal sealed class TextInputGuardMiddleware(RequestDelegate next)
{
    /// <summary>The serializer's own nesting limit: deeper bodies are refused by the endpoint anyway.</summary>
    private const int MaxDepth = 64;

    private static readonly string[] CheckedHeaders = [EntityTags.IfMatchHeader, EntityTags.IfNoneMatchHeader];

    public async Task InvokeAsync(HttpContext context)
    {
        // A request that routes nowhere is answered 404 as it is: what it carries does not matter.
        if (context.GetEndpoint() is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var fault = CheckQuery(request.Query) ?? CheckRoute(request.RouteValues) ?? CheckHeaders(request.Headers);
        if (fault is null && request.HasJsonContentType()
            && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
        {
            fault = await CheckBodyAsync(context).ConfigureAwait(false);
        }

        if (fault is not null)
        {
            throw new DomainException(fault);
        }

        await next(context).ConfigureAwait(false);
    }

    private static DomainError? CheckQuery(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (TextErrors.Check(name, "query") is { } badName)
            {
                return badName;
            }

            foreach (var value in values)
            {
                if (value is not null && TextErrors.Check(value, name) is { } badValue)
                {
                    return badValue;
                }
            }
        }

        return null;
    }

    private static DomainError? CheckRoute(RouteValueDictionary values)
    {
        foreach (var (name, value) in values)
        {
            if (value is string text && TextErrors.Check(text, name) is { } bad)
            {
                return bad;
            }
        }

        return null;
    }

    private static DomainError? CheckHeaders(IHeaderDictionary headers)
    {
        foreach (var name in CheckedHeaders)
        {
            foreach (var value in headers[name])
            {
                if (value is not null && TextErrors.Check(value, name) is { } bad)
                {
                    return bad;
                }
            }
        }

        return null;
    }

    /// <summary>Reads the body into memory (never past the request body limit, which reading enforces), scans it and puts it back for the endpoint.</summary>
    private static async Task<DomainError?> CheckBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var length = request.ContentLength;
        var capacity = length is > 0 and <= int.MaxValue ? (int)length.Value : 0;
        var buffer = new MemoryStream(capacity);
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        buffer.Position = 0;
        request.Body = buffer;
        context.Response.RegisterForDispose(buffer);
        return bytes.IsEmpty ? null : ScanJson(bytes.Span);
    }

    /// <summary>The first bad string of a JSON document, or null; malformed JSON is the endpoint's to refuse, so it ends the scan quietly.</summary>
    internal static DomainError? ScanJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var path = new List<Step>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextElement(path);
                        path.Add(new Step(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        path[^1].Property = null;
                        if (Fault(ref reader, path) is { } badName)
                        {
                            return badName;
                        }

                        path[^1].Property = reader.GetString();
                        break;
                    case JsonTokenType.String:
                        NextElement(path);
                        if (Fault(ref reader, path) is { } badValue)
                        {
                            return badValue;
                        }

                        break;
                    default:
                        NextElement(path);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>
    /// The JSON grammar keeps a raw NUL out of strings, so a string is bad only when its bytes are not
    /// UTF-8 (the reader leaves that to whoever decodes it, which may be a handler holding a
    /// <see cref="JsonElement"/>) or when an escape spells a NUL or a lone surrogate.
    /// </summary>
    private static DomainError? Fault(ref Utf8JsonReader reader, List<Step> path)
    {
        // The reader works on one contiguous buffer, so the value is always a span.
        var raw = reader.ValueSpan;
        var kind = !System.Text.Unicode.Utf8.IsValid(raw) ? Bad.InvalidUtf8
            : reader.ValueIsEscaped ? EscapeFault(raw)
            : Bad.None;
        return kind switch
        {
            Bad.Nul => TextErrors.NulCharacter(PathOf(path)),
            Bad.LoneSurrogate => TextErrors.LoneSurrogate(PathOf(path)),
            Bad.InvalidUtf8 => TextErrors.InvalidUtf8(PathOf(path)),
            _ => null,
        };
    }

    private enum Bad
    {
        None,
        Nul,
        LoneSurrogate,
        InvalidUtf8,
    }

    /// <summary>Walks the escapes of a JSON string as written: <c>\u0000</c>, or a surrogate escape without its partner.</summary>
    private static Bad EscapeFault(ReadOnlySpan<byte> raw)
    {
        var i = 0;
        while ((i = Next(raw, i)) >= 0)
        {
            if (raw[i + 1] != (byte)'u')
            {
                i += 2;
                continue;
            }

            var unit = Hex(raw, i + 2);
            i += 6;
            if (unit == 0)
            {
                return Bad.Nul;
            }

            if (char.IsHighSurrogate(unit) && i + 5 < raw.Length && raw[i] == (byte)'\\' && raw[i + 1] == (byte)'u'
                && char.IsLowSurrogate(Hex(raw, i + 2)))
            {
                i += 6;
            }
            else if (char.IsSurrogate(unit))
            {
                return Bad.LoneSurrogate;
            }
        }

        return Bad.None;
    }

    private static int Next(ReadOnlySpan<byte> raw, int from)
    {
        if (from >= raw.Length)
        {
            return -1;
        }

        var at = raw[from..].IndexOf((byte)'\\');
        return at < 0 ? -1 : from + at;
    }

    /// <summary>Four hex digits the reader has already validated.</summary>
    private static char Hex(ReadOnlySpan<byte> raw, int at)
    {
        var value = 0;
        foreach (var digit in raw.Slice(at, 4))
        {
            value = (value << 4) | digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                _ => digit - 'A' + 10,
            };
        }

        return (char)value;
    }

    private static void NextElement(List<Step> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1].Index++;
        }
    }

    /// <summary>The JSON path in the form validation errors use: <c>parameters[0].default</c>, or <c>body</c> for the document itself.</summary>
    private static string PathOf(List<Step> path)
    {
        var text = new StringBuilder();
        foreach (var step in path)
        {
            if (step.IsArray)
            {
                if (step.Index >= 0)
                {
                    text.Append('[').Append(step.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
            }
            else if (step.Property is { } property)
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }

                text.Append(property);
            }
        }

        return text.Length == 0 ? "body" : text.ToString();
    }

    private sealed class Step(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string? Property { get; set; }
    }
}
