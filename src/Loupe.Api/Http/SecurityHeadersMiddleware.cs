namespace Loupe.Api.Http;

/// <summary>
/// Baseline headers every response carries, whatever produced it (ADR 0012). The API answers JSON and
/// CSV that no browser should render, run scripts from, frame or use features for: its content security
/// policy allows nothing. The OpenAPI UI at <c>/docs</c> (Development only) is a page with scripts and
/// styles of its own, so it gets a policy that allows them from this origin and nothing else. The jobs
/// dashboard at <c>/jobs</c> (ADR 0070) is HTML too: its own script, style sheet and JSON from this
/// origin, forms posting only to this origin, nothing inline.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, IWebHostEnvironment environment)
{
    /// <summary>For everything but the OpenAPI UI: no source of any kind, no framing, no base URL, no form target.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>For the OpenAPI UI: its own scripts, styles, images and calls to this origin (it inlines a little style and script).</summary>
    public const string DocsContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>For the jobs dashboard: files and calls of this origin only, no inline script or style, forms to this origin only.</summary>
    public const string JobsDashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>No browser feature is needed by any response.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    private readonly bool _servesDocs = environment.IsDevelopment();

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(
            static state =>
            {
                var (http, servesDocs) = ((HttpContext, bool))state;
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = servesDocs && http.Request.Path.StartsWithSegments("/docs", StringComparison.Ordinal)
                    ? DocsContentSecurityPolicy
                    : JobsDashboard.JobsDashboardSession.IsDashboardPath(http.Request)
                        ? JobsDashboardContentSecurityPolicy
                        : ApiContentSecurityPolicy;
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers.Remove("Server");
                return Task.CompletedTask;
            },
            (context, _servesDocs));
        return next(context);
    }
}
