using System.Globalization;
using Loupe.Api.Problems;
using Microsoft.AspNetCore.Mvc;

namespace Loupe.Api.RateLimiting;

/// <summary>
/// Counts the request against its budget (<see cref="RateLimitBudgets"/>), writes the
/// <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> headers on the
/// answer, and refuses a request over the budget with 429 problem+json, <c>code</c>
/// <c>rate_limited</c> and <c>Retry-After</c>.
/// </summary>
internal sealed class RateLimitMiddleware(RequestDelegate next, RateLimitBudgets budgets, RateLimitRejections rejections)
{
    public const string RejectedCode = "rate_limited";

    public async Task InvokeAsync(HttpContext http)
    {
        if (budgets.For(http) is not { } budget)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        using var lease = budgets.Acquire(budget);
        var status = lease.TryGetMetadata(RateLimitStatus.MetadataName, out var known) && known is not null
            ? known
            : new RateLimitStatus(budget.PermitsPerMinute, 0, RateLimitBudgets.Window);

        // When the headers go out: an exception handler that clears the answer does not lose them.
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers["RateLimit-Limit"] = status.Limit.ToString(CultureInfo.InvariantCulture);
            headers["RateLimit-Remaining"] = status.Remaining.ToString(CultureInfo.InvariantCulture);
            headers["RateLimit-Reset"] = status.ResetSeconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });

        if (lease.IsAcquired)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var seconds = status.ResetSeconds;
        rejections.Add(http, budget.Policy, seconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = $"Too many requests; retry after {seconds} seconds.",
            Type = "https://tools.ietf.org/html/rfc6585#section-4",
        };
        problem.Extensions["code"] = RejectedCode;
        await http.WriteProblemAsync(problem).ConfigureAwait(false);
    }
}
