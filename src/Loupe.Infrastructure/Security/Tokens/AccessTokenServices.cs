using Loupe.Application.Common.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Security.Tokens;

public static class AccessTokenServices
{
    /// <summary>The <c>Auth</c> options (validated at start-up) and the JWT access token issuer.</summary>
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
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IAccessTokenIssuer, JwtAccessTokenIssuer>();
        return services;
    }

    /// <summary>Names every broken key at once.</summary>
    private sealed class AuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthOptions>
    {
        public ValidateOptionsResult Validate(string? name, AuthOptions options)
        {
            var problems = options.Problems(keyMayBeGenerated: environment.IsDevelopment()).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
