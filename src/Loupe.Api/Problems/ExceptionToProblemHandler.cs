using System.Text.Json;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Problems;

/// <summary>The one mapping from failures to HTTP problems (RFC 7807).</summary>
internal sealed partial class ExceptionToProblemHandler(ILogger<ExceptionToProblemHandler> logger, IDatabaseFailures databaseFailures) : IExceptionHandler
{
    /// <summary>What a client is told to wait before trying again while Loupe's database is away.</summary>
    private const int UnavailableRetryAfterSeconds = 5;

    /// <summary>What a client is told to wait before trying again when a quota that frees itself is used up (a full run queue).</summary>
    internal const int LimitReachedRetryAfterSeconds = 10;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (ClientWentAway(exception, httpContext))
        {
            // The client went away: nobody is left to read an answer.
            httpContext.Response.StatusCode = 499;
            return true;
        }

        // Loupe's own database is restarting or out of reach: a 503 the client may retry, not a 500.
        var unavailable = databaseFailures.IsTransient(exception);
        var problem = unavailable ? Unavailable() : ToProblem(exception);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(exception, httpContext.TraceIdentifier);
        }
        else
        {
            var exceptionType = exception.GetType().Name;
            var status = problem.Status ?? 0;
            LogRefused(exceptionType, status, httpContext.TraceIdentifier);
        }

        if (unavailable)
        {
            httpContext.Response.Headers.RetryAfter = UnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (exception is DomainException { Error.Kind: DomainErrorKind.LimitReached })
        {
            httpContext.Response.Headers.RetryAfter = LimitReachedRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (exception is TooManyRequestsException { RetryAfter: var retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await httpContext.WriteProblemAsync(problem).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Whether the failure is Loupe's own fault: answered with a 500 and logged as an error, the one
    /// kind that is also reported to the error reporter (ADR 0041).
    /// </summary>
    internal static bool IsServerFault(Exception exception, HttpContext httpContext, IDatabaseFailures databaseFailures) =>
        !ClientWentAway(exception, httpContext)
        && !databaseFailures.IsTransient(exception)
        && ToProblem(exception).Status == StatusCodes.Status500InternalServerError;

    private static bool ClientWentAway(Exception exception, HttpContext httpContext) =>
        exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested;

    internal static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        ValidationFailedException validation => Validation(validation.Errors),
        DomainException { Error.Kind: DomainErrorKind.Validation } domain => CodedUnlessUnknown(
            Validation(new Dictionary<string, string[]> { [domain.Error.Field ?? "body"] = [domain.Error.Message] }), domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.NotFound } domain => Coded(Problem(StatusCodes.Status404NotFound, "Not found", domain.Error.Message), domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.Conflict } domain => Coded(Problem(StatusCodes.Status409Conflict, "Conflict", domain.Error.Message), domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.Forbidden } domain => Coded(Problem(StatusCodes.Status403Forbidden, "Forbidden", domain.Error.Message), domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.Unprocessable } domain =>
            Coded(Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable content", domain.Error.Message), domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.LimitReached } domain =>
            Coded(Problem(StatusCodes.Status429TooManyRequests, "Too many requests", domain.Error.Message), domain.Error.Code),
        NotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Not found", notFound.Message),
        ConflictException { Code: { } code } conflict => Coded(Problem(StatusCodes.Status409Conflict, "Conflict", conflict.Message), code),
        ConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict", conflict.Message),
        GoneException gone => Coded(Problem(StatusCodes.Status410Gone, "Gone", gone.Message), gone.Code),
        PreconditionFailedException stale => Problem(StatusCodes.Status412PreconditionFailed, "Precondition failed", stale.Message),
        UnauthenticatedException unauthenticated => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", unauthenticated.Message),
        ForbiddenException forbidden => Problem(StatusCodes.Status403Forbidden, "Forbidden", forbidden.Message),
        QueryExecutionException dataSource => DataSourceProblem(dataSource),
        TooManyRequestsException tooMany => Problem(StatusCodes.Status429TooManyRequests, "Too many requests", tooMany.Message),
        BadHttpRequestException { InnerException: JsonException json } =>
            Validation(new Dictionary<string, string[]> { [JsonField(json.Path)] = [JsonMessage(json)] }),
        BadHttpRequestException badRequest => Problem(badRequest.StatusCode, ReasonPhrase(badRequest.StatusCode), SafeDetail(badRequest)),
        _ => Problem(StatusCodes.Status500InternalServerError, "An unexpected error occurred", null),
    };

    /// <summary>503 with a code: the same request may be sent again shortly.</summary>
    internal static ProblemDetails Unavailable() => Coded(
        Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "Loupe's database cannot be reached at the moment. Try again shortly."),
        "database.unavailable");

    private static HttpValidationProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Validation failed",
            Detail = "One or more fields are invalid; see errors.",
            Type = TypeFor(StatusCodes.Status400BadRequest),
        };

    /// <summary>The data source refused or could not be reached: 502, with its SQLSTATE (or Loupe code) and a message without secrets.</summary>
    private static ProblemDetails DataSourceProblem(QueryExecutionException exception) =>
        Coded(Problem(StatusCodes.Status502BadGateway, "The data source answered with an error", exception.Message), exception.Code);

    /// <summary>Adds the machine-readable <c>code</c> member that tells cases of one status apart.</summary>
    private static ProblemDetails Coded(ProblemDetails problem, string code)
    {
        problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>A named domain rule tells its code (e.g. text.nul_character); an unnamed one has none to tell.</summary>
    private static ProblemDetails CodedUnlessUnknown(ProblemDetails problem, string code) =>
        code == "domain.unknown" ? problem : Coded(problem, code);

    private static ProblemDetails Problem(int status, string title, string? detail) =>
        new() { Status = status, Title = title, Detail = detail, Type = TypeFor(status) };

    /// <summary>The RFC 9110 section that defines the status, as ASP.NET Core's own defaults do.</summary>
    private static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        410 => "https://tools.ietf.org/html/rfc9110#section-15.5.11",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        502 => "https://tools.ietf.org/html/rfc9110#section-15.6.3",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad request";

    /// <summary>Kestrel's and the binder's messages name parameters, never values; anything else gets a generic text.</summary>
    private static string SafeDetail(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
        StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
        _ when exception.Message.StartsWith("Failed to read parameter", StringComparison.Ordinal)
            || exception.Message.StartsWith("Required parameter", StringComparison.Ordinal)
            || exception.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) => exception.Message,
        _ => "The request could not be understood.",
    };

    private static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string JsonMessage(JsonException json) =>
        json.Path is null or "$"
            ? "The body is not valid JSON."
            : "This value has the wrong type or is not allowed here.";

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception; error id {ErrorId}")]
    private partial void LogUnhandled(Exception exception, string errorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused by {ExceptionType} with status {StatusCode}; error id {ErrorId}")]
    private partial void LogRefused(string exceptionType, int statusCode, string errorId);
}
