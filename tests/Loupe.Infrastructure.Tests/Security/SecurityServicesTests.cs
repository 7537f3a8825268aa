using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Security;
using Loupe.Infrastructure.Security.Limits;
using Loupe.Infrastructure.Security.Mail;
using Loupe.Infrastructure.Security.Passwords;
using Loupe.Infrastructure.Security.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Tests.Security;

public sealed class SecurityServicesTests
{
    [Fact]
    public void AddSecurityServices_WithDefaults_ResolvesEveryPort()
    {
        using var provider = ProviderWith(new Dictionary<string, string?>(), "Production");

        provider.GetRequiredService<IPasswordHasher>().ShouldBeOfType<Argon2idPasswordHasher>();
        provider.GetRequiredService<IOpaqueTokens>().ShouldBeOfType<OpaqueTokens>();
        provider.GetRequiredService<IMailSender>().ShouldBeOfType<UnconfiguredMailSender>();
        provider.GetRequiredService<IAttemptLimiter>().ShouldBeOfType<InMemoryAttemptLimiter>();
        provider.GetRequiredService<IMailSender>().ShouldBeSameAs(provider.GetRequiredService<IMailSender>());
    }

    [Fact]
    public void AddSecurityServices_ReadsEachSection()
    {
        using var provider = ProviderWith(
            new Dictionary<string, string?>
            {
                ["Auth:Password:MemoryKib"] = "32768",
                ["Auth:Password:Iterations"] = "3",
                ["Mail:Smtp:Host"] = "smtp.example.com",
                ["Mail:Smtp:Port"] = "465",
                ["Mail:From"] = "Loupe <loupe@example.com>",
                ["RateLimits:Scopes:auth.email:PermitLimit"] = "5",
                ["RateLimits:Scopes:reset:PermitLimit"] = "3",
                ["RateLimits:Scopes:reset:WindowSeconds"] = "900",
            },
            "Development");

        var password = provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value;
        (password.MemoryKib, password.Iterations, password.Parallelism).ShouldBe((32768, 3, 1));
        provider.GetRequiredService<IMailSender>().ShouldBeOfType<SmtpMailSender>().Smtp.Port.ShouldBe(465);
        var limits = provider.GetRequiredService<IOptions<AttemptLimitOptions>>().Value.Scopes;
        (limits["auth.email"].PermitLimit, limits["auth.email"].WindowSeconds).ShouldBe((5, 60));
        (limits["auth.ip"].PermitLimit, limits["auth.ip"].WindowSeconds).ShouldBe((10, 60));
        (limits["reset"].PermitLimit, limits["reset"].WindowSeconds).ShouldBe((3, 900));
    }

    [Fact]
    public void AddSecurityServices_WhenSettingsWeakOrBroken_NamesEveryKey()
    {
        using var provider = ProviderWith(
            new Dictionary<string, string?>
            {
                ["Auth:Password:MemoryKib"] = "4096",
                ["Auth:Password:Iterations"] = "1",
                ["Auth:Password:Parallelism"] = "4",
                ["Mail:From"] = "not an address",
                ["Mail:Smtp:Username"] = "mailer",
                ["RateLimits:Scopes:auth.ip:WindowSeconds"] = "0",
            },
            "Production");

        var failures = string.Join(
            "\n",
            Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value).Failures
                .Concat(Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value).Failures)
                .Concat(Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AttemptLimitOptions>>().Value).Failures));

        failures.ShouldContain("Auth:Password:MemoryKib");
        failures.ShouldContain("Auth:Password:Iterations");
        failures.ShouldContain("Auth:Password:Parallelism");
        failures.ShouldContain("Mail:From");
        failures.ShouldContain("Mail:Smtp:Password is required");
        failures.ShouldContain("RateLimits:Scopes:auth.ip:WindowSeconds");
    }

    private static ServiceProvider ProviderWith(Dictionary<string, string?> settings, string environment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new Environment { EnvironmentName = environment });
        services.AddSecurityServices(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "Loupe.Tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
