using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Configuration;
using Loupe.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Loupe.Infrastructure.Security.Secrets;

public static class SecretProtectionServices
{
    /// <summary>
    /// The <c>Secrets</c> options (validated at start-up: outside Development a missing
    /// <c>Secrets:ActiveKeyId</c> stops the host) and the AES-256-GCM <see cref="ISecretProtector"/>.
    /// </summary>
    public static IServiceCollection AddSecretProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DevelopmentSecretKey>();
        services.AddOptions<SecretProtectionOptions>()
            .Configure(options =>
            {
                configuration.GetSection(SecretProtectionOptions.Section).Bind(options);

                // Secrets__Keys__{id}_FILE also reaches configuration as the raw variable (a path) next
                // to the key the secret-files provider read from it; only the key itself is a key.
                foreach (var fileReference in options.Keys.Keys.Where(k => k.EndsWith("_FILE", StringComparison.Ordinal)).ToList())
                {
                    options.Keys.Remove(fileReference);
                }
            })
            .PostConfigure<IHostEnvironment, DevelopmentSecretKey>((options, environment, developmentKey) =>
            {
                if (string.IsNullOrWhiteSpace(options.ActiveKeyId) && environment.IsDevelopment())
                {
                    options.ActiveKeyId = DevelopmentSecretKey.KeyId;
                    options.Keys[DevelopmentSecretKey.KeyId] = developmentKey.Value;
                }
            })
            .ValidateProblems<SecretProtectionOptions, IHostEnvironment>((options, environment) =>
                options.Problems(keyMayBeGenerated: environment.IsDevelopment()));
        services.AddSingleton<ISecretProtector, AesGcmSecretProtector>();
        services.TryAddSingleton<OwnerConnections>();
        services.AddSingleton<SecretRotation>();
        return services;
    }

}
