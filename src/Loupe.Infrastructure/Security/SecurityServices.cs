using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Security.Instance;
using Loupe.Infrastructure.Security.Limits;
using Loupe.Infrastructure.Security.Mail;
using Loupe.Infrastructure.Security.Passwords;
using Loupe.Infrastructure.Security.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Security;

public static class SecurityServices
{
    /// <summary>
    /// Password hashing (Argon2id), opaque tokens, the mail sender and the attempt limiter, with
    /// their options (<c>Auth:Password</c>, <c>Mail</c>, <c>RateLimits</c>) checked at start-up.
    /// </summary>
    public static IServiceCollection AddSecurityServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        AddValidatedOptions<PasswordHashingOptions>(services, configuration, PasswordHashingOptions.Section, options => options.Problems());
        services.AddSingleton<IPasswordHasher, Argon2idPasswordHasher>();

        services.AddSingleton<IOpaqueTokens, OpaqueTokens>();

        AddValidatedOptions<MailOptions>(services, configuration, MailOptions.Section, options => options.Problems());
        services.AddSingleton(provider => MailSenderSelection.Choose(
            provider.GetRequiredService<IOptions<MailOptions>>().Value,
            provider.GetRequiredService<IHostEnvironment>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));

        AddValidatedOptions<AttemptLimitOptions>(services, configuration, AttemptLimitOptions.Section, options => options.Problems());
        services.AddSingleton<IAttemptLimiter, InMemoryAttemptLimiter>();

        services.AddOptions<InstanceOptions>()
            .Configure(options =>
            {
                configuration.GetSection(InstanceOptions.Section).Bind(options);
                options.PublicUrl = configuration["App:PublicUrl"] ?? options.PublicUrl;
                options.MaxUsersPerOrganization = configuration.GetValue("Quotas:MaxUsersPerOrganization", options.MaxUsersPerOrganization);
            })
            .ValidateProblems(options => options.Problems());
        services.AddSingleton<IInstanceSettings, InstanceSettings>();

        return services;
    }

    private static void AddValidatedOptions<TOptions>(
        IServiceCollection services,
        IConfiguration configuration,
        string section,
        Func<TOptions, IEnumerable<string>> problems)
        where TOptions : class
    {
        services.AddOptions<TOptions>()
            .Configure(options => configuration.GetSection(section).Bind(options))
            .ValidateProblems(problems);
    }

}
