using FluentValidation;
using Loupe.Api.RateLimiting;
using Loupe.Api.Security;
using Loupe.Application.AdminJobs.Queries.GetJobsOverview;
using Loupe.Application.Auth.Commands.Login;
using Loupe.Application.Auth.Commands.Logout;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Security;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// The jobs dashboard at <c>/jobs</c> (ADR 0070): server-rendered pages for the instance's
/// administrators, signed in with a cookie session or the API's bearer token. Anyone else gets the
/// 404 of a path that does not exist, on every page but the sign-in form and the assets; every form is
/// checked against forgery (one filter on the group, <see cref="JobsDashboardGate"/>). The pages are not
/// part of the API: they stay out of the OpenAPI document, and what they do is also done by the API.
/// </summary>
internal static class JobsDashboardEndpoints
{
    private const string HtmlContentType = "text/html; charset=utf-8";

    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        var secureCookies = !app.Environment.IsDevelopment();
        var jobs = app.MapGroup(JobsDashboardSession.PathPrefix).ExcludeFromDescription().GatedForInstanceAdmins();
        jobs.MapRecurringPages();

        jobs.MapGet("/assets/{name}", (string name) => Asset(name)).AllowsAnyCaller();

        jobs.MapGet("/sign-in", (HttpContext http, IAntiforgery antiforgery) =>
                Page(JobsDashboardHtml.SignIn(antiforgery.GetAndStoreTokens(http), email: null, notice: null)))
            .AllowsAnyCaller();

        // Account entry, as POST /api/v1/auth/login: the same command (its lockout and per-address
        // limit), the same per-IP budget, and whatever credential the request carries is ignored.
        // The group's filter has checked the form's anti-forgery token.
        jobs.MapPost("/sign-in", async (HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                var email = form["email"].ToString();
                try
                {
                    var tokens = await mediator.Send(new LoginCommand(email, form["password"].ToString()), http.RequestAborted);
                    JobsDashboardSession.Start(http, tokens.AccessToken, TimeSpan.FromSeconds(tokens.ExpiresIn), secureCookies);
                    return Results.Redirect(JobsDashboardSession.PathPrefix, permanent: false, preserveMethod: false);
                }
                catch (ValidationException)
                {
                    return SignInAgain(http, antiforgery, email, "Enter your email and password.", StatusCodes.Status400BadRequest);
                }
                catch (UnauthenticatedException)
                {
                    return SignInAgain(http, antiforgery, email, "Invalid email or password.", StatusCodes.Status401Unauthorized);
                }
                catch (TooManyRequestsException tooMany)
                {
                    http.Response.Headers.RetryAfter = Math.Ceiling(tooMany.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return SignInAgain(http, antiforgery, email, "Too many attempts. Wait a little and try again.", StatusCodes.Status429TooManyRequests);
                }
            })
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .ForAnonymousCallers()
            .AllowsAnyCaller();

        jobs.MapPost("/sign-out", async (HttpContext http, ICurrentUser caller, IMediator mediator) =>
        {
            if (caller.SessionId is not null)
            {
                await mediator.Send(new LogoutCommand(), http.RequestAborted);
            }

            JobsDashboardSession.End(http, secureCookies);
            return Results.Redirect(JobsDashboardSession.PathPrefix + "/sign-in", permanent: false, preserveMethod: false);
        });

        jobs.MapGet(string.Empty, async (HttpContext http, IAntiforgery antiforgery, IMediator mediator) =>
        {
            var overview = await mediator.Send(new GetJobsOverviewQuery(), http.RequestAborted);
            return Page(JobsDashboardHtml.Overview(overview, antiforgery.GetAndStoreTokens(http)));
        });

        // What the overview's script refreshes the counts and draws the last minute's graph from: the admin API's overview.
        jobs.MapGet("/overview.json", async (HttpContext http, IMediator mediator) =>
        {
            var overview = await mediator.Send(new GetJobsOverviewQuery(), http.RequestAborted);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Ok(overview);
        });

        jobs.MapJobsDashboardEnginePages();
        jobs.MapJobPages();

        return app;
    }

    /// <summary>
    /// Adds the anti-forgery tokens of the dashboard's forms: their cookie is scoped to <c>/jobs</c> like the
    /// session's, and Secure whenever the request came over HTTPS (directly or through the forwarded headers).
    /// It is no credential, only the other half of each form's token; "always Secure" would make the
    /// framework refuse every plain-HTTP request outright, where the Secure session cookie already keeps
    /// a browser from signing in over plain HTTP outside Development.
    /// </summary>
    public static IServiceCollection AddJobsDashboard(this IServiceCollection services)
    {
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = JobsDashboardSession.AntiforgeryCookieName;
            options.Cookie.Path = JobsDashboardSession.PathPrefix;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = JobsDashboardSession.AntiforgeryFieldName;
            options.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    private static HtmlPage SignInAgain(HttpContext http, IAntiforgery antiforgery, string email, string notice, int status) =>
        Page(JobsDashboardHtml.SignIn(antiforgery.GetAndStoreTokens(http), email, notice), status);

    internal static HtmlPage Page(string html, int status = StatusCodes.Status200OK) =>
        new HtmlPage(html, status);

    private static IResult Asset(string name)
    {
        var contentType = Path.GetExtension(name) switch
        {
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => null,
        };
        var stream = contentType is null ? null : typeof(JobsDashboardEndpoints).Assembly.GetManifestResourceStream("jobs-dashboard/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, contentType);
    }

    /// <summary>A page of the dashboard: HTML, never cached (it shows live state behind a session).</summary>
    internal sealed class HtmlPage(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = HtmlContentType;
            httpContext.Response.Headers.CacheControl = "no-store";
            return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
