using System.Text.Json;
using System.Text.RegularExpressions;
using Loupe.Api.Http;
using Loupe.Application.Common.Exceptions;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Problems;

/// <summary>
/// Plain words for a request the framework could not read (a missing or broken JSON body, a field of the
/// wrong type, an unknown field, a query value that is not a number): each message starts with the
/// snake_case name the client sent and never repeats the value or a .NET type name.
/// </summary>
internal static partial class RequestBodyProblems
{
    public const string BodyKey = "body";
    public const string NeedsBody = "The request needs a JSON body.";
    public const string NotJson = "The request body is not valid JSON.";
    public const string CutOff = "The JSON body ends too soon: it was cut off before its last value or closing bracket.";
    public const string NotAnObject = "The request body must be a JSON object ({...}), not an array or a single value.";

    public static ProblemDetails FromJson(JsonException json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var field = JsonField(json.Path);
        if (UnknownMember().Match(json.Message) is { Success: true } unknown)
        {
            var name = unknown.Groups["name"].Value;
            var path = field == BodyKey ? name : field.EndsWith(name, StringComparison.Ordinal) ? field : $"{field}.{name}";
            return Field(path, $"{path}: not a field of this request; leave it out.", ErrorCodes.ValidationFailed);
        }

        if (IsReaderError(json))
        {
            return json.Message.Contains("end of data", StringComparison.Ordinal)
                || json.Message.Contains("Expected depth to be zero", StringComparison.Ordinal)
                    ? Field(BodyKey, CutOff, ErrorCodes.InvalidBody)
                    : Field(BodyKey, NotJson, ErrorCodes.InvalidBody);
        }

        if (field == BodyKey)
        {
            return Field(BodyKey, NotAnObject, ErrorCodes.InvalidBody);
        }

        if (json.Message.StartsWith(UtcTimestampConverter.Expected, StringComparison.Ordinal))
        {
            return Field(field, $"{field}: expected an RFC 3339 timestamp with an offset, such as 2026-11-25T09:30:00Z.", ErrorCodes.ValidationFailed);
        }

        var expected = ConvertedTo().Match(json.Message) is { Success: true } converted ? Expected(converted.Groups["type"].Value) : null;
        return Field(
            field,
            expected is null ? $"{field}: a value of the wrong type for this field." : $"{field}: expected {expected}.",
            ErrorCodes.ValidationFailed);
    }

    public static ProblemDetails FromBinding(BadHttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        switch (exception.StatusCode)
        {
            case StatusCodes.Status413PayloadTooLarge:
                return ExceptionToProblemHandler.Problem(exception.StatusCode, "The request body is larger than this endpoint accepts.", ErrorCodes.PayloadTooLarge);
            case StatusCodes.Status415UnsupportedMediaType:
                return ExceptionToProblemHandler.Problem(exception.StatusCode, "Send the request body as application/json.", ErrorCodes.UnsupportedMediaType);
        }

        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal)
            || (message.StartsWith("Required parameter", StringComparison.Ordinal) && message.EndsWith("from body.", StringComparison.Ordinal)))
        {
            return Field(BodyKey, NeedsBody, ErrorCodes.InvalidBody);
        }

        if (message.StartsWith("Failed to read parameter", StringComparison.Ordinal))
        {
            return Field(BodyKey, NotJson, ErrorCodes.InvalidBody);
        }

        if (BindFailed().Match(message) is { Success: true } bind)
        {
            var name = WireName(bind.Groups["name"].Value);
            var expected = Expected(bind.Groups["type"].Value);
            return Field(name, expected is null ? $"{name}: not a value this parameter accepts." : $"{name}: expected {expected}.", ErrorCodes.ValidationFailed);
        }

        if (RequiredMissing().Match(message) is { Success: true } missing)
        {
            var name = WireName(missing.Groups["name"].Value);
            return Field(name, $"{name}: required.", ErrorCodes.ValidationFailed);
        }

        return ExceptionToProblemHandler.Problem(exception.StatusCode, "The request could not be understood.", ErrorCodes.BadRequest);
    }

    private static HttpValidationProblemDetails Field(string field, string message, string code) =>
        ExceptionToProblemHandler.Validation(new Dictionary<string, string[]> { [field] = [message] }, code);

    /// <summary>The reader itself failed (not JSON, or cut off), as opposed to a value that did not fit its field.</summary>
    private static bool IsReaderError(JsonException json) =>
        json.InnerException?.GetType().Name == "JsonReaderException" || json.GetType().Name == "JsonReaderException";

    private static string WireName(string parameter) => JsonNamingPolicy.SnakeCaseLower.ConvertName(parameter);

    /// <summary>What a .NET type looks like on the wire, in words; null when it has no simple name.</summary>
    private static string? Expected(string type)
    {
        var name = type.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']').Replace("System.", string.Empty, StringComparison.Ordinal);
        return name switch
        {
            "Int16" or "Int32" or "Int64" or "short" or "int" or "long" or "Nullable<int>" or "Nullable<long>" or "int?" or "long?" => "a whole number",
            "Decimal" or "Double" or "Single" or "decimal" or "double" or "float" => "a number",
            "Boolean" or "bool" or "bool?" => "true or false",
            "Guid" or "Guid?" => "a UUID",
            "String" or "string" => "a string",
            "DateTimeOffset" or "DateTimeOffset?" => "an RFC 3339 timestamp with an offset, such as 2026-11-25T09:30:00Z",
            _ when name.Contains("List`1", StringComparison.Ordinal) || name.Contains("[]", StringComparison.Ordinal)
                || name.Contains("IEnumerable", StringComparison.Ordinal) => "an array",
            _ when name.Contains("Dictionary", StringComparison.Ordinal) || name.Contains("JsonObject", StringComparison.Ordinal) => "an object",
            _ => null,
        };
    }

    private static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return BodyKey;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    [GeneratedRegex("^The JSON property '(?<name>[^']+)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownMember();

    [GeneratedRegex("could not be converted to (?<type>\\S+?)\\.? Path:", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>[^\"]+)\" from", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailed();

    [GeneratedRegex("^Required parameter \"(?<type>\\S+) (?<name>[^\"]+)\" was not provided", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredMissing();
}
