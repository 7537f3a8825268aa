using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Loupe.Infrastructure.Security.Tokens;

public static class AccessTokenServices
{
    /// <summary>The <c>Auth</c> options (validated at start-up), the JWT access token issuer and the refresh token successors (keyed by the same secret).</summary>
    public static IServiceCollection AddAccessTokens(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<DevelopmentSigningKey>();
        services.AddOptions<AuthOptions>()
            .Configure(options => configuration.GetSection(AuthOptions.Section).Bind(options))
            .PostConfigure<IHostEnvironment, DevelopmentSigningKey>((options, environment, developmentKey) =>
            {
                if (string.IsNullOrEmpty(options.SigningKey) && environment.IsDevelopment())
                {
                    options.SigningKey = developmentKey.Value;
                }
            })
            .ValidateProblems<AuthOptions, IHostEnvironment>((options, environment) =>
                options.Problems(keyMayBeGenerated: environment.IsDevelopment()));
        services.AddSingleton<IAccessTokenIssuer, JwtAccessTokenIssuer>();
        services.AddSingleton<IRefreshTokenSuccessors, RefreshTokenSuccessors>();
        return services;
    }

}
