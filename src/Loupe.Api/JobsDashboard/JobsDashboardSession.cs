using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// The jobs dashboard's cookie session (ADR 0070): the access token that signing in on
/// <c>/jobs/sign-in</c> issued, kept in an HttpOnly, SameSite=Strict cookie of path <c>/jobs</c>
/// (Secure outside Development). The bearer handler reads it only on the dashboard's own paths and
/// only when the request carries no <c>Authorization</c> header, so it is the same token, checked
/// the same way (its session still active, the instance-admin flag read from the database), and
/// never a credential of the API.
/// </summary>
internal static class JobsDashboardSession
{
    public const string CookieName = "loupe_jobs_session";

    public const string PathPrefix = "/jobs";

    /// <summary>The anti-forgery cookie of the dashboard's forms.</summary>
    public const string AntiforgeryCookieName = "loupe_jobs_antiforgery";

    public const string AntiforgeryFieldName = "__antiforgery";

    public static bool IsDashboardPath(HttpRequest request) => request.Path.StartsWithSegments(PathPrefix, StringComparison.Ordinal);

    /// <summary>Hands the cookie's token to the bearer handler on the dashboard's paths.</summary>
    public static void ReadToken(MessageReceivedContext context)
    {
        var request = context.Request;
        if (context.Token is null
            && IsDashboardPath(request)
            && !request.Headers.ContainsKey("Authorization")
            && request.Cookies.TryGetValue(CookieName, out var token)
            && !string.IsNullOrEmpty(token))
        {
            context.Token = token;
        }
    }

    public static void Start(HttpContext context, string accessToken, TimeSpan lifetime, bool secure) =>
        context.Response.Cookies.Append(CookieName, accessToken, Options(secure, lifetime));

    public static void End(HttpContext context, bool secure) =>
        context.Response.Cookies.Delete(CookieName, Options(secure, maxAge: null));

    private static CookieOptions Options(bool secure, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = secure,
        SameSite = SameSiteMode.Strict,
        Path = PathPrefix,
        IsEssential = true,
        MaxAge = maxAge,
    };
}
