using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.Problems;

/// <summary>
/// Every problem document Loupe writes — from the exception handler, from status-code pages (404,
/// 405, 415, 413) or from a health probe — passes through here and gets the same fields:
/// <c>type</c>, <c>title</c>, <c>status</c>, <c>instance</c> and an <c>error_id</c>, which is the
/// request id and appears in the log line of the request, and a <c>code</c>: the one its producer
/// chose, or the one of its status (<c>not_found</c>, <c>method_not_allowed</c>, …) when it chose none.
/// </summary>
internal static class ProblemDetailsSetup
{
    public const string ErrorIdKey = "error_id";

    public static IServiceCollection AddLoupeProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var http = context.HttpContext;
            problem.Instance ??= http.Request.Path.Value;
            problem.Extensions[ErrorIdKey] = http.TraceIdentifier;
            if (problem.Status >= StatusCodes.Status500InternalServerError
                && problem.Status is not (StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable))
            {
                // Whatever produced it, a server error says nothing about why: the log has the rest.
                // (502 carries a data source's own error, which never holds a secret; 503 says what is not ready.)
                problem.Title = "An unexpected error occurred";
                problem.Detail = $"An unexpected error occurred. Quote error id {http.TraceIdentifier} when reporting it.";
            }

            problem.Detail ??= DefaultDetail(problem.Status);
            if (!problem.Extensions.ContainsKey(ExceptionToProblemHandler.CodeKey))
            {
                problem.Extensions[ExceptionToProblemHandler.CodeKey] = ExceptionToProblemHandler.DefaultCode(problem.Status);
            }
        });
        services.AddExceptionHandler<ExceptionToProblemHandler>();
        return services;
    }

    private static string? DefaultDetail(int? status) => status switch
    {
        StatusCodes.Status401Unauthorized => "Authentication is required.",
        StatusCodes.Status403Forbidden => "You are not allowed to do this.",
        StatusCodes.Status404NotFound => "No resource exists at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that HTTP method.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
        StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
        _ => null,
    };

    /// <summary>Writes a problem for a status code through the one problem details service.</summary>
    public static ValueTask WriteProblemAsync(this HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return writer.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
