using System.Text.Json;
using Loupe.Api.Security;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Persistence;
using Loupe.Domain.Common;
using Microsoft.AspNetCore.Authentication;
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
        if (exception is UnauthenticatedException { CallerUnknown: true })
        {
            // The caller is unknown to a handler's own authorization: say why, as the bearer challenge does
            // (sign-in and refresh refuse credentials read from their body and keep their own answer).
            // The scheme's handler keeps its result for the request: this asks nothing again.
            var failure = (await httpContext.AuthenticateAsync().ConfigureAwait(false)).Failure;
            var challenge = BearerChallenge.For(httpContext.Request, failure);
            httpContext.Response.Headers.WWWAuthenticate = challenge.Header;
            problem = Unauthenticated(challenge);
        }

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
        ValidationFailedException validation => Validation(validation.Errors, validation.Code),
        DomainException { Error.Kind: DomainErrorKind.Validation } domain => Validation(
            new Dictionary<string, string[]> { [domain.Error.Field ?? "body"] = [domain.Error.Message] }, CodeOf(domain.Error)),
        DomainException { Error.Kind: DomainErrorKind.NotFound } domain => Problem(StatusCodes.Status404NotFound, domain.Error.Message, domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.Conflict } domain => Problem(StatusCodes.Status409Conflict, domain.Error.Message, domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.Forbidden } domain => Problem(StatusCodes.Status403Forbidden, domain.Error.Message, domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.Unprocessable } domain =>
            Problem(StatusCodes.Status422UnprocessableEntity, domain.Error.Message, domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.LimitReached } domain =>
            Problem(StatusCodes.Status429TooManyRequests, domain.Error.Message, domain.Error.Code),
        DomainException { Error.Kind: DomainErrorKind.Gone } domain => Problem(StatusCodes.Status410Gone, domain.Error.Message, domain.Error.Code),
        NotFoundException notFound => Problem(StatusCodes.Status404NotFound, notFound.Message, ErrorCodes.NotFound),
        ConflictException conflict => Problem(StatusCodes.Status409Conflict, conflict.Message, conflict.Code),
        GoneException gone => Problem(StatusCodes.Status410Gone, gone.Message, gone.Code),
        PreconditionFailedException stale => Stale(stale),
        PreconditionRequiredException => Problem(StatusCodes.Status428PreconditionRequired, exception.Message, ErrorCodes.PreconditionRequired),
        UnauthenticatedException unauthenticated => Problem(StatusCodes.Status401Unauthorized, unauthenticated.Message, ErrorCodes.Unauthorized),
        ForbiddenException forbidden => Problem(StatusCodes.Status403Forbidden, forbidden.Message, ErrorCodes.Forbidden),
        QueryExecutionException dataSource => DataSourceProblem(dataSource),
        TooManyRequestsException tooMany => Problem(StatusCodes.Status429TooManyRequests, tooMany.Message, ErrorCodes.RateLimited),
        BadHttpRequestException { InnerException: JsonException json } => RequestBodyProblems.FromJson(json),
        BadHttpRequestException badRequest => RequestBodyProblems.FromBinding(badRequest),
        _ => Problem(StatusCodes.Status500InternalServerError, null, ErrorCodes.InternalError),
    };

    /// <summary>The 412, with where the resource is now when it says so (<c>current_etag</c>, <c>current_version</c>).</summary>
    private static ProblemDetails Stale(PreconditionFailedException stale)
    {
        var problem = Problem(StatusCodes.Status412PreconditionFailed, stale.Message, ErrorCodes.PreconditionFailed);
        if (stale.CurrentRowVersion is { } rowVersion)
        {
            problem.Extensions[CurrentETagKey] = Http.EntityTags.Format(rowVersion);
        }

        if (stale.CurrentVersion is { } version)
        {
            problem.Extensions[CurrentVersionKey] = version;
        }

        return problem;
    }

    /// <summary>The members of a 412 that say where the resource is now.</summary>
    internal const string CurrentETagKey = "current_etag";

    internal const string CurrentVersionKey = "current_version";

    /// <summary>The 401 for a request whose credential is missing or was refused (<see cref="BearerChallenge"/>).</summary>
    internal static ProblemDetails Unauthenticated(BearerChallenge challenge) =>
        Problem(StatusCodes.Status401Unauthorized, challenge.Detail, challenge.Code);

    /// <summary>503 with a code: the same request may be sent again shortly.</summary>
    internal static ProblemDetails Unavailable() => Problem(
        StatusCodes.Status503ServiceUnavailable,
        "Loupe's database cannot be reached at the moment. Try again shortly.",
        ErrorCodes.DatabaseUnavailable);

    /// <summary>A 400 whose <c>errors</c> name each snake_case field and what is wrong with it.</summary>
    internal static HttpValidationProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors, string code)
    {
        var problem = new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Validation failed",
            Detail = "One or more fields are invalid; see errors.",
            Type = TypeFor(StatusCodes.Status400BadRequest),
        };
        problem.Extensions[CodeKey] = code;
        return problem;
    }

    /// <summary>The data source refused or could not be reached: 502, with its SQLSTATE (or Loupe code) and a message without secrets.</summary>
    private static ProblemDetails DataSourceProblem(QueryExecutionException exception)
    {
        var problem = Problem(StatusCodes.Status502BadGateway, exception.Message, exception.Code);
        problem.Title = "The data source answered with an error";
        return problem;
    }

    /// <summary>An unnamed domain rule (no code of its own) is a plain validation failure.</summary>
    private static string CodeOf(DomainError error) => error.Code == "domain.unknown" ? ErrorCodes.ValidationFailed : error.Code;

    /// <summary>The member of every problem that tells its cause to a program, from docs/errors.md.</summary>
    internal const string CodeKey = "code";

    /// <summary>A problem of a status, with its title, detail and machine-readable code.</summary>
    internal static ProblemDetails Problem(int status, string? detail, string code)
    {
        var problem = new ProblemDetails { Status = status, Title = ReasonPhrase(status), Detail = detail, Type = TypeFor(status) };
        problem.Extensions[CodeKey] = code;
        return problem;
    }

    /// <summary>The code of a problem that was written without one (status-code pages, the health probes): one per status.</summary>
    internal static string DefaultCode(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => ErrorCodes.BadRequest,
        StatusCodes.Status401Unauthorized => ErrorCodes.Unauthorized,
        StatusCodes.Status403Forbidden => ErrorCodes.Forbidden,
        StatusCodes.Status404NotFound => ErrorCodes.NotFound,
        StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
        StatusCodes.Status409Conflict => ErrorCodes.Conflict,
        StatusCodes.Status410Gone => ErrorCodes.Gone,
        StatusCodes.Status412PreconditionFailed => ErrorCodes.PreconditionFailed,
        StatusCodes.Status428PreconditionRequired => ErrorCodes.PreconditionRequired,
        StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ErrorCodes.UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => ErrorCodes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => ErrorCodes.ServiceUnavailable,
        _ => ErrorCodes.InternalError,
    };

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
        428 => "https://tools.ietf.org/html/rfc6585#section-3",
        502 => "https://tools.ietf.org/html/rfc9110#section-15.6.3",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };

    private static string ReasonPhrase(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad request",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status412PreconditionFailed => "Precondition failed",
        StatusCodes.Status428PreconditionRequired => "Precondition required",
        StatusCodes.Status422UnprocessableEntity => "Unprocessable content",
        StatusCodes.Status429TooManyRequests => "Too many requests",
        StatusCodes.Status500InternalServerError => "An unexpected error occurred",
        StatusCodes.Status503ServiceUnavailable => "Service unavailable",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad request",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception; error id {ErrorId}")]
    private partial void LogUnhandled(Exception exception, string errorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused by {ExceptionType} with status {StatusCode}; error id {ErrorId}")]
    private partial void LogRefused(string exceptionType, int statusCode, string errorId);
}
