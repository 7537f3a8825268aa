using Loupe.Application.Common.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace Loupe.Api.JobsDashboard;

/// <summary>
/// The one check in front of every page and form of the dashboard (ADR 0070), a filter of the <c>/jobs</c>
/// route group. First, anyone who is not an instance admin gets the 404 of an address that does not exist,
/// before anything else is looked at, so that no answer (not even a refused form) tells them the page is
/// there. Then a request that changes something (any method but GET, HEAD, OPTIONS and TRACE) must carry
/// its form's anti-forgery token, or nothing is done and the answer is a 400 page saying the form has expired.
/// An endpoint anyone may call says so with <see cref="AllowsAnyCaller{TBuilder}"/> (the sign-in form and the
/// assets); its forms are still checked.
/// </summary>
internal static class JobsDashboardGate
{
    public const string FormExpired = "The form has expired or did not come from this page. Nothing was changed: reload the page and try again.";

    /// <summary>What the sign-in form's refusal says: who posted it is nobody yet, so the page has no header and offers the form again.</summary>
    public const string SignInFormExpired = "The form has expired or did not come from this page. Sign in again.";

    /// <summary>Puts the check in front of every endpoint of <paramref name="group"/>, marking each as <see cref="Gated"/>.</summary>
    public static RouteGroupBuilder GatedForInstanceAdmins(this RouteGroupBuilder group) =>
        group.WithMetadata(Gated.Instance).AddEndpointFilter(CheckAsync);

    /// <summary>The explicit exemption from the instance-admin check: anyone may call the endpoint (its forms are still checked).</summary>
    public static TBuilder AllowsAnyCaller<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AnyCaller.Instance);

    public static bool IsGated(EndpointMetadataCollection? metadata) => metadata?.GetMetadata<Gated>() is not null;

    public static bool IsOpenToAnyCaller(EndpointMetadataCollection? metadata) => metadata?.GetMetadata<AnyCaller>() is not null;

    private static async ValueTask<object?> CheckAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var isInstanceAdmin = http.RequestServices.GetRequiredService<ICurrentUser>().IsInstanceAdmin;
        if (!isInstanceAdmin && !IsOpenToAnyCaller(http.GetEndpoint()?.Metadata))
        {
            return Results.NotFound();
        }

        if (!IsSafe(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                // A signed-in admin keeps the dashboard's header (with fresh tokens); anyone else can only have posted the sign-in form.
                return JobsDashboardEndpoints.Page(
                    isInstanceAdmin
                        ? JobsDashboardJobsHtml.Message("Refused", new JobsDashboardNotice(FormExpired), antiforgery.GetAndStoreTokens(http))
                        : JobsDashboardHtml.Refused(SignInFormExpired),
                    StatusCodes.Status400BadRequest);
            }
        }

        return await next(context);
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>Marks an endpoint behind the check.</summary>
    internal sealed class Gated
    {
        public static readonly Gated Instance = new();
    }

    /// <summary>Marks an endpoint the instance-admin check lets anyone call.</summary>
    internal sealed class AnyCaller
    {
        public static readonly AnyCaller Instance = new();
    }
}
