using Loupe.Application.Common.Events;
using Loupe.Application.Webhooks;
using Loupe.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Webhooks;

public static class WebhookServices
{
    /// <summary>
    /// The <c>Webhooks</c> options (checked at start-up) as the application's <see cref="WebhookSettings"/>
    /// (plain http only in Development), the outbox, and the one shared sender.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Configure(options => configuration.GetSection(WebhookOptions.Section).Bind(options))
            .ValidateProblems(options => options.Problems());
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<WebhookOptions>>().Value
            .Settings(provider.GetService<IHostEnvironment>()?.IsDevelopment() ?? false));
        services.AddScoped<IEventOutbox, EventOutbox>();
        services.AddScoped<IOutboxEvents, OutboxEvents>();
        services.AddSingleton<IWebhookSender, HttpWebhookSender>();
        return services;
    }
}
