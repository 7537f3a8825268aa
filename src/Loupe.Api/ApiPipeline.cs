using Loupe.Api.Health;
using Loupe.Api.Http;
using Loupe.Api.JobsDashboard;
using Loupe.Api.RateLimiting;
using Loupe.Api.Telemetry;

namespace Loupe.Api;

/// <summary>The order of the HTTP pipeline, decided in one place.</summary>
internal static class ApiPipeline
{
    public static WebApplication UseLoupePipeline(this WebApplication app)
    {
        // First, so that every later middleware and the request log see the client's real address.
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();

        // Before everything that may answer (errors, 401, 429), so a browser app can read those answers
        // too; a preflight is answered here, unauthenticated and uncounted.
        app.UseCors();

        // Scrapes of /metrics skip the request log, the rate limiter and user authentication (ADR 0040).
        app.UseLoupeMetrics();
        app.UseLoupeRequestLogging();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();

        // After authentication: signed-in callers and API keys have budgets of their own, and only
        // a credential the handlers accepted earns one (anything else counts against its address).
        app.UseLoupeRateLimits();

        app.UseAuthorization();

        // Routed (route values known), counted by the rate limiter, and before any endpoint runs. After
        // authorization: a caller refused an endpoint gets that refusal whatever text it sent, so the
        // 404 of an instance admin's endpoint (InstanceAdminGate) is never told apart by a 400.
        app.UseMiddleware<TextInputGuardMiddleware>();

        // Last: only the chosen endpoints' own answers are compressed (ADR 0044).
        ResultCompression.UseLoupeResultCompression(app);
        return app;
    }

    public static WebApplication MapLoupeEndpoints(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        if (app.Environment.IsDevelopment())
        {
            app.UseSwaggerUI(options =>
            {
                options.RoutePrefix = "docs";
                options.SwaggerEndpoint("/openapi/v1.json", "Loupe API v1");
                options.DocumentTitle = "Loupe API";
            });
        }

        // Every operation may answer 400: a bad field, or text that cannot be stored (TextInputGuardMiddleware).
        var api = app.MapGroup("/api/v1").ProducesProblem(StatusCodes.Status400BadRequest);

        // ... and a query parameter it does not read (QueryParameterGuard).
        api.AddEndpointFilterFactory(QueryParameterGuard.Create);
        foreach (var module in app.Services.GetServices<IEndpointModule>())
        {
            module.MapEndpoints(api);
        }

        // The jobs dashboard's HTML pages (ADR 0070), outside /api/v1 and the OpenAPI document.
        app.MapJobsDashboard();
        return app;
    }
}
