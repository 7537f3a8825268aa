using Loupe.Infrastructure.ErrorReporting;
using Sentry;
using Sentry.Extensibility;

namespace Loupe.Api.ErrorReporting;

/// <summary>
/// The API's error reporting (ADR 0041): Sentry's ASP.NET Core integration, only when
/// <c>Sentry:Dsn</c> is set. It reports exceptions that end a request with a 500 (see
/// <see cref="RequestErrorEvents"/>) and, when the job engine runs in the API, failed jobs.
/// </summary>
internal static class ErrorReportingSetup
{
    public static WebApplicationBuilder AddLoupeErrorReporting(this WebApplicationBuilder builder)
    {
        if (!SentryReporting.IsConfigured(builder.Configuration))
        {
            return builder;
        }

        builder.WebHost.UseSentry(options =>
        {
            SentryReporting.Apply(options, builder.Configuration, builder.Environment.EnvironmentName);
            options.MaxRequestBodySize = RequestSize.None;
            options.IncludeActivityData = false;
            options.CaptureBlockingCalls = false;

            // Log lines become neither events (the two sources above are the only ones) nor breadcrumbs.
            options.MinimumEventLevel = LogLevel.None;
            options.MinimumBreadcrumbLevel = LogLevel.None;
        });
        builder.Services.AddSingleton<ISentryEventProcessor, RequestErrorEvents>();
        builder.Services.AddJobFailureReports(provider => provider.GetRequiredService<IHub>());
        return builder;
    }
}
